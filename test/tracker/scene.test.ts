import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { renderScene, SCENARIOS, type Scenario } from '../../src/video/synthetic/scene.js';
import { iou, boxArea } from '../../src/core/index.js';

function digest(s: Scenario, seed = 1): string {
  const h = createHash('sha256');
  for (const { frame, truth } of renderScene(s, { seed, frames: 12 }).frames()) {
    h.update(frame.rgb);
    h.update(JSON.stringify(truth));
  }
  return h.digest('hex');
}

describe('renderScene', () => {
  it('is deterministic per seed and differs across seeds', () => {
    for (const s of SCENARIOS) expect(digest(s)).toBe(digest(s));
    expect(digest('multi', 1)).not.toBe(digest('multi', 2));
  });

  it('yields frames with metadata and truth inside the frame', () => {
    const scene = renderScene('multi', { width: 200, height: 100, frames: 40, fps: 10, objects: 5 });
    let n = 0;
    for (const { frame, truth } of scene.frames()) {
      expect(frame.index).toBe(n);
      expect(frame.ptsMs).toBeCloseTo(n * 100);
      expect(frame.rgb.length).toBe(200 * 100 * 3);
      expect(truth.map((t) => t.id)).toEqual([1, 2, 3, 4, 5]);
      for (const t of truth) {
        expect(t.box.x1).toBeGreaterThanOrEqual(0);
        expect(t.box.x2).toBeLessThanOrEqual(200 + 1e-9);
        expect(boxArea(t.box)).toBeGreaterThan(0);
      }
      n++;
    }
    expect(n).toBe(40);
  });

  it('moves, scales and crosses as named', () => {
    const boxes = (s: Scenario) => [...renderScene(s).frames()].map((f) => f.truth.map((t) => t.box));
    const tr = boxes('translate');
    expect(tr[29][0].x1 - tr[0][0].x1).toBeGreaterThan(40);
    expect(boxArea(tr[29][0])).toBeCloseTo(boxArea(tr[0][0]));
    const sc = boxes('scale');
    expect(boxArea(sc[29][0]) / boxArea(sc[0][0])).toBeGreaterThan(2);
    const cr = boxes('cross');
    expect(iou(cr[0][0], cr[0][1])).toBe(0);
    expect(iou(cr[15][0], cr[15][1])).toBeGreaterThan(0.5);
    expect(cr[29][0].x1).toBeGreaterThan(cr[29][1].x1);
    const st = boxes('still');
    expect(st[29][0]).toEqual(st[0][0]);
  });

  it('paints the object texture over the background', () => {
    const [first] = renderScene('translate').frames();
    const { frame, truth } = first;
    const b = truth[0].box;
    // The object's pixels are not the background's: compare with the same spot in a scene without the object there.
    const later = [...renderScene('translate', { frames: 30 }).frames()][29];
    const x = Math.floor(b.x1 + 2);
    const y = Math.floor((b.y1 + b.y2) / 2);
    const i = (y * frame.width + x) * 3;
    expect(later.truth[0].box.x1).toBeGreaterThan(b.x2);
    expect([frame.rgb[i], frame.rgb[i + 1], frame.rgb[i + 2]]).not.toEqual([later.frame.rgb[i], later.frame.rgb[i + 1], later.frame.rgb[i + 2]]);
  });

  it('rejects bad options with the field name', () => {
    expect(() => renderScene('translate', { width: 3 })).toThrow(/scene.width/);
    expect(() => renderScene('translate', { fps: 0 })).toThrow(/scene.fps/);
    expect(() => renderScene('nope' as Scenario)).toThrow(/scenario/);
  });
});
