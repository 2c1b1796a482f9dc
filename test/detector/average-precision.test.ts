import { describe, expect, it } from 'vitest';
import { makeBox } from '../../src/core/index.js';
import { averagePrecision } from '../../src/detector/average-precision.js';

const b = (x: number, y: number, w = 10, h = 10) => makeBox(x, y, x + w, y + h);

describe('averagePrecision (VOC, all points)', () => {
  it('hand-worked ranking', () => {
    // 3 GT boxes over 2 frames. Ranked predictions: TP (0.9), FP (0.8), TP (0.7), duplicate of the
    // first GT → FP (0.6). Recall/precision: (1/3, 1), (1/3, 1/2), (2/3, 2/3), (2/3, 1/2).
    // Envelope: 1, 2/3, 2/3, 1/2 → AP = 1/3·1 + 1/3·2/3 = 5/9.
    const gt = new Map([[1, [b(0, 0), b(50, 50)]], [2, [b(0, 0)]]]);
    const preds = new Map([
      [1, [{ box: b(0, 0), score: 0.9 }, { box: b(200, 200), score: 0.8 }, { box: b(1, 0), score: 0.6 }]],
      [2, [{ box: b(1, 1), score: 0.7 }]],
    ]);
    const r = averagePrecision(gt, preds, 0.5, 0.65);
    expect(r.ap).toBeCloseTo(5 / 9, 10);
    expect([r.groundTruth, r.predictions]).toEqual([3, 4]);
    expect(r.recallAt).toBeCloseTo(2 / 3, 10);
    expect(r.precisionAt).toBeCloseTo(2 / 3, 10);
  });

  it('IoU threshold: a box shifted by 4 px of 10 (IoU 6/14 = 0.43) is a miss at 0.5 and a hit at 0.4', () => {
    const gt = new Map([[1, [b(0, 0)]]]);
    const preds = new Map([[1, [{ box: b(4, 0), score: 1 }]]]);
    expect(averagePrecision(gt, preds, 0.5).ap).toBe(0);
    expect(averagePrecision(gt, preds, 0.4).ap).toBe(1);
    expect(averagePrecision(new Map(), new Map()).ap).toBe(0);
  });

  it('predictions on ignore boxes are left out of the ranking', () => {
    // Without ignore: FP (0.9) then TP (0.8) → envelope 1/2 → AP 0.5. With the 0.9 box on an ignore region: AP 1.
    const gt = new Map([[1, [b(0, 0)]]]);
    const preds = new Map([[1, [{ box: b(100, 100), score: 0.9 }, { box: b(0, 0), score: 0.8 }]]]);
    expect(averagePrecision(gt, preds).ap).toBeCloseTo(0.5, 10);
    const r = averagePrecision(gt, preds, 0.5, 0.4, new Map([[1, [b(101, 100)]]]));
    expect(r.ap).toBe(1);
    expect(r.predictions).toBe(1);
  });
});
