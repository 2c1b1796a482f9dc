import { describe, expect, it } from 'vitest';
import { ValidationError, makeBox } from '../../src/core/index.js';
import {
  HOTA_ALPHAS, type IdentifiedBox, evaluateTracking, linearSumAssignment, maxWeightAssignment,
} from '../../src/eval/index.js';

const b = (x1: number, y1: number, x2: number, y2: number, id: number): IdentifiedBox => ({ box: makeBox(x1, y1, x2, y2), id });
/** Frames from a list: index = 0-based frame. */
const frames = (...fs: IdentifiedBox[][]): Map<number, IdentifiedBox[]> => new Map(fs.map((f, i) => [i, f]));
const A = (id: number): IdentifiedBox => b(0, 0, 10, 10, id);
const B = (id: number): IdentifiedBox => b(100, 0, 110, 10, id);

describe('linearSumAssignment (Hungarian)', () => {
  it('finds the minimum-cost square assignment', () => {
    // rows: [4 1 3] [2 0 5] [3 2 2] → best 1 + 2 + 2 = 5 (0→1, 1→0, 2→2)
    expect(linearSumAssignment([4, 1, 3, 2, 0, 5, 3, 2, 2], 3, 3)).toEqual([{ row: 0, col: 1 }, { row: 1, col: 0 }, { row: 2, col: 2 }]);
  });
  it('handles more columns than rows, and more rows than columns', () => {
    // 2×3: [5 1 9] [1 5 9] → 0→1, 1→0 (cost 2); the greedy-looking col 2 is never used
    expect(linearSumAssignment([5, 1, 9, 1, 5, 9], 2, 3)).toEqual([{ row: 0, col: 1 }, { row: 1, col: 0 }]);
    // 3×2 (transpose of the above): rows 0 and 1 get the columns, row 2 none
    expect(linearSumAssignment([5, 1, 1, 5, 9, 9], 3, 2)).toEqual([{ row: 0, col: 1 }, { row: 1, col: 0 }]);
  });
  it('maximises weights, where a greedy pick would lose', () => {
    // greedy takes 0→0 (10) then 1→1 (1) = 11; optimal 0→1 (9) + 1→0 (9) = 18
    expect(maxWeightAssignment([10, 9, 9, 1], 2, 2)).toEqual([{ row: 0, col: 1 }, { row: 1, col: 0 }]);
  });
  it('returns nothing for an empty side and rejects a wrong-sized matrix', () => {
    expect(linearSumAssignment([], 0, 4)).toEqual([]);
    expect(() => linearSumAssignment([1, 2, 3], 2, 2)).toThrow(/2×2 = 4 costs, got 3/);
  });
});

describe('tracking metrics, hand-worked', () => {
  it('perfect tracking scores 1 everywhere', () => {
    const gt = frames([A(1), B(2)], [A(1), B(2)], [A(1), B(2)]);
    const tr = frames([A(7), B(8)], [A(7), B(8)], [A(7), B(8)]);
    const m = evaluateTracking(gt, tr);
    expect(m.clear).toMatchObject({ mota: 1, motp: 1, tp: 6, fp: 0, fn: 0, idsw: 0, frag: 0, mt: 2, pt: 0, ml: 0 });
    expect(m.identity).toMatchObject({ idf1: 1, idp: 1, idr: 1, idtp: 6 });
    expect(m.hota.hota).toBeCloseTo(1, 12);
    expect(m.hota.locA).toBeCloseTo(1, 12);
  });

  it('one identity switch halfway: MOTA 0.75, IDF1 0.5, HOTA √0.5', () => {
    // gt A on 4 frames; tracker 1 on frames 1–2, tracker 2 on frames 3–4, boxes exact.
    // CLEAR: TP 4, IDSW 1 → MOTA (4 − 0 − 1)/4 = 0.75; tracked without gap → Frag 0.
    // IDF1: A↔1 and A↔2 each 2 frames → IDTP 2, IDFN 2, IDFP 2 → 2/(2 + 1 + 1) = 0.5.
    // HOTA: DetA 1 at every α; AssA = Σ c·c/(|A| + |t| − c) / TP = (2·2/4 + 2·2/4)/4 = 0.5 → HOTA √0.5.
    const m = evaluateTracking(frames([A(1)], [A(1)], [A(1)], [A(1)]), frames([A(1)], [A(1)], [A(2)], [A(2)]));
    expect(m.clear).toMatchObject({ tp: 4, fp: 0, fn: 0, idsw: 1, frag: 0, mt: 1 });
    expect(m.clear.mota).toBeCloseTo(0.75, 12);
    expect(m.identity).toMatchObject({ idtp: 2, idfp: 2, idfn: 2 });
    expect(m.identity.idf1).toBeCloseTo(0.5, 12);
    expect(m.hota.detA).toBeCloseTo(1, 12);
    expect(m.hota.assA).toBeCloseTo(0.5, 12);
    expect(m.hota.hota).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('continuity rule: last frame\'s pair wins over a better-overlapping newcomer', () => {
    // Frame 2: tracker 1 covers A with IoU 0.6 (60/100), tracker 2 exactly. Without the rule tracker 2
    // would match (IDSW 1); with it tracker 1 keeps A, tracker 2 is a false positive.
    const gt = frames([A(1)], [A(1)]);
    const tr = frames([A(1)], [b(0, 0, 10, 6, 1), A(2)]);
    const m = evaluateTracking(gt, tr);
    expect(m.clear).toMatchObject({ tp: 2, fp: 1, fn: 0, idsw: 0 });
    expect(m.clear.motp).toBeCloseTo((1 + 0.6) / 2, 12);
    expect(m.clear.mota).toBeCloseTo((2 - 1) / 2, 12);
  });

  it('a gap is one fragmentation and a miss; 4/5 tracked is partially (not mostly) tracked', () => {
    // Frame 3: the tracker loses A and reports a box at B instead (a false positive).
    const gt = frames([A(1)], [A(1)], [A(1)], [A(1)], [A(1)]);
    const tr = frames([A(3)], [A(3)], [B(4)], [A(3)], [A(3)]);
    const m = evaluateTracking(gt, tr);
    expect(m.clear).toMatchObject({ tp: 4, fn: 1, fp: 1, idsw: 0, frag: 1, mt: 0, pt: 1, ml: 0 });
    // DetA = 4/(4 + 1 + 1) at every α; one pair, c = 4: AssA = 4·4/(5 + 4 − 4)/4 = 0.8
    expect(m.hota.detA).toBeCloseTo(4 / 6, 12);
    expect(m.hota.assA).toBeCloseTo(0.8, 12);
  });

  it('a frame without any tracker box does not break continuity (TrackEval skips it): no fragmentation', () => {
    const gt = frames([A(1)], [A(1)], [A(1)], [A(1)], [A(1)]);
    const tr = frames([A(3)], [A(3)], [], [A(3)], [A(3)]);
    expect(evaluateTracking(gt, tr).clear).toMatchObject({ tp: 4, fn: 1, fp: 0, frag: 0 });
  });

  it('HOTA keeps a pair only at α ≤ its IoU', () => {
    // IoU 0.6 on one frame: matched for α = 0.05…0.60 (12 of 19 thresholds), so DetA = AssA = 12/19.
    const m = evaluateTracking(frames([A(1)]), frames([b(0, 0, 10, 6, 5)]));
    const kept = HOTA_ALPHAS.filter((a) => a <= 0.6 + 1e-12).length;
    expect(kept).toBe(12);
    expect(m.hota.detA).toBeCloseTo(12 / 19, 12);
    expect(m.hota.hota).toBeCloseTo(12 / 19, 12);
    // LocA is 1 at an α without matches (TrackEval's max(1e-10, ·) ratio): (12·0.6 + 7·1)/19
    expect(m.hota.locA).toBeCloseTo((12 * 0.6 + 7) / 19, 12);
  });

  it('no tracker output: every gt box is a miss, every ratio 0, ML counts all objects', () => {
    const m = evaluateTracking(frames([A(1), B(2)], [A(1)]), new Map());
    expect(m.clear).toMatchObject({ tp: 0, fn: 3, fp: 0, mota: 0, mt: 0, ml: 2 });
    expect(m.identity.idf1).toBe(0);
    expect(m.hota.hota).toBe(0);
  });

  it('frames limits what is scored', () => {
    const m = evaluateTracking(frames([A(1)], [A(1)], [A(1)]), frames([A(1)], [], []), { frames: 1 });
    expect(m.frames).toBe(1);
    expect(m.clear.mota).toBe(1);
  });

  it('rejects a duplicate identity in one frame and a box without identity', () => {
    expect(() => evaluateTracking(frames([A(1), B(1)]), new Map())).toThrow(ValidationError);
    expect(() => evaluateTracking(frames([A(1), B(1)]), new Map())).toThrow(/frame 1: identity 1 occurs twice/);
    expect(() => evaluateTracking(frames([{ box: makeBox(0, 0, 1, 1) }]), new Map())).toThrow(/has no identity/);
  });
});
