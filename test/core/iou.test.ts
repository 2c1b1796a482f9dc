import { describe, expect, it } from 'vitest';
import { boxFromXywh, greedyMatch, iou, makeBox } from '../../src/core/index.js';

describe('iou', () => {
  // Hand-worked table: [a, b, expected, arithmetic]
  const table: [number[], number[], number, string][] = [
    [[0, 0, 10, 10], [0, 0, 10, 10], 1, 'identical: 100/100'],
    [[0, 0, 10, 10], [5, 0, 15, 10], 1 / 3, 'half overlap: 50/(100+100-50)'],
    [[0, 0, 10, 10], [10, 0, 20, 10], 0, 'touching edges: zero-area intersection'],
    [[0, 0, 10, 10], [20, 20, 30, 30], 0, 'disjoint'],
    [[0, 0, 10, 10], [2, 2, 4, 4], 4 / 100, 'contained: 4/100'],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 'zero-area boxes'],
    [[0, 0, 4, 4], [2, 2, 6, 6], 4 / 28, 'corner overlap: 4/(16+16-4)'],
  ];
  for (const [a, b, expected, why] of table) {
    it(`${why} → ${expected.toFixed(4)}`, () => {
      const A = makeBox(a[0], a[1], a[2], a[3]);
      const B = makeBox(b[0], b[1], b[2], b[3]);
      expect(iou(A, B)).toBeCloseTo(expected, 12);
      expect(iou(B, A)).toBeCloseTo(expected, 12);
    });
  }

  it('rejects inverted and non-finite boxes with the field name', () => {
    expect(() => makeBox(10, 0, 0, 10, 'gt[3]')).toThrow(/gt\[3\]: expected x2 ≥ x1/);
    expect(() => makeBox(Number.NaN, 0, 1, 1)).toThrow(/box.x1: expected a finite number, got NaN/);
    expect(() => boxFromXywh(0, 0, -1, 5)).toThrow(/expected x2 ≥ x1/);
  });
});

describe('greedyMatch', () => {
  it('takes the best pairs first and reports the leftovers', () => {
    const tracks = [makeBox(0, 0, 10, 10), makeBox(100, 100, 110, 110), makeBox(0, 0, 9, 10)];
    const dets = [makeBox(1, 0, 11, 10), makeBox(300, 300, 310, 310)];
    const r = greedyMatch(tracks, dets, 0.3);
    // det0 vs track0: 90/110 = 0.818; vs track2: 80/(90+100-80) = 0.727 → track0 wins
    expect(r.matches).toEqual([{ row: 0, col: 0, iou: 90 / 110 }]);
    expect(r.unmatchedRows).toEqual([1, 2]);
    expect(r.unmatchedCols).toEqual([1]);
  });
});
