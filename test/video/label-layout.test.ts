import { describe, expect, it } from 'vitest';
import { makeBox } from '../../src/core/index.js';
import { type Rect, layoutLabels, overlapArea } from '../../src/video/sinks/label-layout.js';

const inside = (r: Rect, w: number, h: number) => r.x >= 0 && r.y >= 0 && r.x + r.width <= w && r.y + r.height <= h;

describe('layoutLabels', () => {
  it('puts a label above its box when there is room, and keeps labels at the frame edges inside the frame', () => {
    const [above, topEdge, rightEdge, bottomRight] = layoutLabels(640, 480, [
      { box: makeBox(100, 100, 140, 200), width: 80, height: 18 },
      { box: makeBox(300, 0, 340, 90), width: 80, height: 18 }, // touches the top: no room above
      { box: makeBox(600, 200, 640, 300), width: 120, height: 18 }, // at the right edge: shifted left
      { box: makeBox(560, 440, 640, 480), width: 120, height: 18 }, // bottom-right corner
    ]);
    expect(above).toEqual({ x: 100, y: 82, width: 80, height: 18 });
    expect(topEdge).toEqual({ x: 300, y: 0, width: 80, height: 18 }); // just inside the box's top edge
    for (const r of [rightEdge, bottomRight]) expect(inside(r, 640, 480), JSON.stringify(r)).toBe(true);
  });

  it('a crowd of side-by-side boxes (PETS-like): every label inside the frame and no two overlapping, nor over the caption', () => {
    const boxes = Array.from({ length: 12 }, (_, i) => makeBox(200 + i * 30, 150 + (i % 3) * 6, 230 + i * 30, 260 + (i % 3) * 6));
    const caption: Rect = { x: 0, y: 0, width: 300, height: 18 };
    const rects = layoutLabels(768, 576, boxes.map((box) => ({ box, width: 150, height: 18 })), [caption]);
    for (const r of rects) expect(inside(r, 768, 576)).toBe(true);
    for (let a = 0; a < rects.length; a++) {
      expect(overlapArea(rects[a], caption)).toBe(0);
      for (let b = a + 1; b < rects.length; b++) expect(overlapArea(rects[a], rects[b]), `labels ${a} and ${b}`).toBe(0);
    }
  });

  it('is independent of the order of the requests', () => {
    const reqs = [makeBox(10, 50, 60, 150), makeBox(20, 55, 70, 155), makeBox(30, 60, 80, 160)].map((box) => ({ box, width: 90, height: 18 }));
    const forward = layoutLabels(320, 240, reqs);
    const backward = layoutLabels(320, 240, [...reqs].reverse()).reverse();
    expect(backward).toEqual(forward);
  });

  it('hand-worked overlap areas', () => {
    expect(overlapArea({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 5, width: 10, height: 10 })).toBe(25);
    expect(overlapArea({ x: 0, y: 0, width: 10, height: 10 }, { x: 10, y: 0, width: 10, height: 10 })).toBe(0); // touching
  });
});
