import { describe, expect, it } from 'vitest';
import { COCO_IOU_THRESHOLDS, evaluateDetections, frameRecallSeries, matchFrame } from '../../src/eval/index.js';
import { g, p } from './helpers.js';

const T = COCO_IOU_THRESHOLDS; // 0.50, 0.55, …, 0.95 (10 thresholds)

describe('COCO_IOU_THRESHOLDS', () => {
  it('are the ten pycocotools thresholds, float-identical', () => {
    expect(T).toHaveLength(10);
    expect(T[0]).toBe(0.5);
    expect(T[9]).toBe(0.95);
    expect(T[8]).toBe(0.8999999999999999); // numpy linspace rounding, kept on purpose
  });
});

describe('matchFrame', () => {
  it('perfect prediction matches at every threshold', () => {
    const m = matchFrame([g(0, 0, 10, 10)], [p(0, 0, 10, 10, 0.9)], T, 100);
    expect(m.matchedGt).toEqual(new Array(10).fill(1));
  });

  it('IoU 0.8 matches at thresholds 0.50..0.80 only', () => {
    // pred 0..10 × 0..8 inside gt 0..10 × 0..10: IoU = 80/100 = 0.8 → t ∈ {.5,.55,.6,.65,.7,.75,.8} = 7
    const m = matchFrame([g(0, 0, 10, 10)], [p(0, 0, 10, 8, 0.9)], T, 100);
    expect(m.matchedGt.reduce((a, b) => a + b, 0)).toBe(7);
    expect(m.matchedGt.slice(6)).toEqual([1, 0, 0, 0]);
  });

  it('a duplicate is a false positive and does not raise recall', () => {
    const m = matchFrame([g(0, 0, 10, 10)], [p(0, 0, 10, 10, 0.8), p(0, 0, 10, 10, 0.9)], [0.5], 100);
    expect(m.kept).toEqual([1, 0]); // sorted by score: 0.9 first
    expect(Array.from(m.predToGt[0])).toEqual([0, -1]);
    expect(m.matchedGt).toEqual([1]);
  });

  it('the higher-scored prediction takes the gt first, even with a worse IoU', () => {
    // gt 0..20×0..20. a: 0..20×0..12 IoU 240/400 = 0.6, score 0.9; b: exact, score 0.5.
    // At t=0.5: a takes gt, b is FP. At t=0.65: a fails (0.6 < 0.65), b takes gt.
    const m = matchFrame([g(0, 0, 20, 20)], [p(0, 0, 20, 12, 0.9), p(0, 0, 20, 20, 0.5)], [0.5, 0.65], 100);
    expect(Array.from(m.predToGt[0])).toEqual([0, -1]);
    expect(Array.from(m.predToGt[1])).toEqual([-1, 0]);
    expect(m.matchedGt).toEqual([1, 1]);
  });

  it('a prediction takes the best-IoU unmatched gt', () => {
    // pred 0..10×0..10; gt1 0..10×0..8 IoU 0.8; gt2 0..10×0..10 IoU 1 → gt2
    const m = matchFrame([g(0, 0, 10, 8), g(0, 0, 10, 10)], [p(0, 0, 10, 10, 1)], [0.5], 100);
    expect(Array.from(m.predToGt[0])).toEqual([1]);
  });

  it('maxDets keeps the highest scores; stable on ties', () => {
    const m = matchFrame([g(0, 0, 10, 10)], [p(50, 50, 60, 60, 0.3), p(0, 0, 10, 10, 0.2), p(20, 20, 30, 30, 0.3)], [0.5], 2);
    expect(m.kept).toEqual([0, 2]); // the two 0.3s in input order; the true positive (0.2) is cut
    expect(m.matchedGt).toEqual([0]);
  });
});

describe('evaluateDetections — hand-worked table', () => {
  // Two frames, one class.
  // frame 0: gt A 0..10², B 20..30×0..10. preds: A exact (0.9), A duplicate (0.8), B' 20..30×0..8 (IoU 0.8, 0.7)
  // frame 1: gt C 0..10², D 50..60². preds: C' 0..10×0..6 (IoU 0.6, 0.95)
  // frame 2: no gt. pred 0..5² (0.99) → false positive only
  // Matched per threshold (10 thresholds): A 10, B 7 (≤0.80), C 3 (≤0.60), D 0 → 20 of 4×10 → AR = 0.5
  // AR50: A, B, C of 4 = 0.75
  // At IoU 0.5: TP = A, B', C' = 3; FP = duplicate + frame-2 box = 2; FN = D = 1
  //   precision 3/5 = 0.6, recall 3/4 = 0.75, F1 = 2·3/(2·3+2+1) = 6/9
  const gt = new Map([
    [0, [g(0, 0, 10, 10), g(20, 0, 30, 10)]],
    [1, [g(0, 0, 10, 10), g(50, 50, 60, 60)]],
  ]);
  const preds = new Map([
    [0, [p(0, 0, 10, 10, 0.9), p(0, 0, 10, 10, 0.8), p(20, 0, 30, 8, 0.7)]],
    [1, [p(0, 0, 10, 6, 0.95)]],
    [2, [p(0, 0, 5, 5, 0.99)]],
  ]);

  it('mAR, AR50, precision, recall, F1', () => {
    const m = evaluateDetections(gt, preds);
    expect(m.mar).toBeCloseTo(0.5, 12);
    expect(m.ar50).toBeCloseTo(0.75, 12);
    expect([m.tp, m.fp, m.fn]).toEqual([3, 2, 1]);
    expect(m.precision).toBeCloseTo(0.6, 12);
    expect(m.recall).toBeCloseTo(0.75, 12);
    expect(m.f1).toBeCloseTo(6 / 9, 12);
    expect(m.frames).toBe(3);
    expect(m.gtCount).toBe(4);
    expect(m.predCount).toBe(5);
    // recall per threshold: thresholds .5–.6 → 3/4; .65–.8 → 2/4; .85–.95 → 1/4
    expect(m.perClass[0].recallAtIou).toEqual([0.75, 0.75, 0.75, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]);
  });

  it('score threshold changes precision/F1 but not mAR', () => {
    // threshold 0.85 keeps A (0.9), C' (0.95), frame-2 box (0.99): TP 2, FP 1, FN 2
    // precision 2/3, recall 2/4, F1 = 4/(4+1+2) = 4/7; mAR unchanged 0.5
    const m = evaluateDetections(gt, preds, { scoreThreshold: 0.85 });
    expect(m.mar).toBeCloseTo(0.5, 12);
    expect([m.tp, m.fp, m.fn]).toEqual([2, 1, 2]);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(4 / 7, 12);
  });

  it('maxDets truncates per frame by score', () => {
    // maxDets 1: frame 0 keeps only A (0.9): A 10; frame 1 keeps C' 3 → 13 / 40 = 0.325
    // AR50 = 2/4; at IoU .5: TP 2 (A, C'), FP 1 (frame 2), FN 2 → precision 2/3
    const m = evaluateDetections(gt, preds, { maxDets: 1 });
    expect(m.mar).toBeCloseTo(13 / 40, 12);
    expect(m.ar50).toBeCloseTo(0.5, 12);
    expect([m.tp, m.fp, m.fn]).toEqual([2, 1, 2]);
  });

  it('frames restricts the evaluated frames (ground truth outside is ignored)', () => {
    // frames: 1 → only frame 0: A 10 + B 7 = 17/20 = 0.85; precision 2/3 (duplicate FP)
    const m = evaluateDetections(gt, preds, { frames: 1 });
    expect(m.mar).toBeCloseTo(0.85, 12);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    // explicit frame list [1, 2]: C 3 of 20 → 0.15; TP 1, FP 1 (frame 2), FN 1
    const m2 = evaluateDetections(gt, preds, { frames: [2, 1] });
    expect(m2.mar).toBeCloseTo(0.15, 12);
    expect([m2.tp, m2.fp, m2.fn]).toEqual([1, 1, 1]);
    // a frame with ground truth but no predictions counts as all-missed: frames 0..4 adds nothing new here
    expect(evaluateDetections(gt, preds, { frames: 5 }).mar).toBeCloseTo(0.5, 12);
  });

  it('predictions of a class without ground truth are ignored by default, counted when the class is listed', () => {
    const withCar = new Map(preds);
    withCar.set(0, [...preds.get(0)!, p(100, 100, 120, 120, 0.9, 2)]);
    expect(evaluateDetections(gt, withCar).fp).toBe(2);
    const m = evaluateDetections(gt, withCar, { classes: [0, 2] });
    expect(m.fp).toBe(3);
    expect(m.mar).toBeCloseTo(0.5, 12); // class 2 has no gt: not in the mean
    expect(Number.isNaN(m.perClass[1].ar)).toBe(true);
  });

  it('per-class and overall mean over classes with ground truth', () => {
    // class 0 as above (AR 0.5); class 1: one gt, one prediction with IoU 0.5 exactly? use 0..10×0..5 → 50/100 = 0.5
    // → matched at t = 0.5 only → AR 1/10. Overall mAR = (0.5 + 0.1) / 2 = 0.3; AR50 = (0.75 + 1)/2
    const gt2 = new Map(gt);
    gt2.set(3, [g(0, 0, 10, 10, 1)]);
    const preds2 = new Map(preds);
    preds2.set(3, [p(0, 0, 10, 5, 0.5, 1)]);
    const m = evaluateDetections(gt2, preds2);
    expect(m.perClass.map((c) => c.classId)).toEqual([0, 1]);
    expect(m.perClass[1].ar).toBeCloseTo(0.1, 12);
    expect(m.mar).toBeCloseTo(0.3, 12);
    expect(m.ar50).toBeCloseTo(0.875, 12);
  });

  it('empty inputs: NaN ratios, no throw', () => {
    const m = evaluateDetections(new Map(), new Map());
    expect(Number.isNaN(m.mar)).toBe(true);
    expect(Number.isNaN(m.precision)).toBe(true);
    const noPreds = evaluateDetections(gt, new Map());
    expect(noPreds.mar).toBe(0);
    expect(Number.isNaN(noPreds.precision)).toBe(true);
    expect(noPreds.f1).toBe(0);
  });

  it('rejects bad options and predictions with field names', () => {
    expect(() => evaluateDetections(gt, preds, { maxDets: 0 })).toThrow(/maxDets: expected an integer ≥ 1, got 0/);
    expect(() => evaluateDetections(gt, preds, { scoreThreshold: 2 })).toThrow(/scoreThreshold: expected a number in \[0, 1\], got 2/);
    const bad = new Map([[0, [{ box: g(0, 0, 1, 1).box, score: Number.NaN, classId: 0 }]]]);
    expect(() => evaluateDetections(gt, bad)).toThrow(/predictions\[frame 0\]\[0\]\.score: expected a finite number, got NaN/);
  });
});

describe('frameRecallSeries', () => {
  it('per-frame recall and AR, NaN on frames without ground truth', () => {
    const gt = new Map([[0, [g(0, 0, 10, 10), g(20, 0, 30, 10)]]]);
    const preds = new Map([[0, [p(0, 0, 10, 10, 0.9), p(20, 0, 30, 8, 0.7)]], [1, [p(0, 0, 1, 1, 0.5)]]]);
    const s = frameRecallSeries(gt, preds);
    // frame 0: both matched at 0.5 → recall 1; AR = (10 + 7) / (10·2) = 0.85
    expect(s[0]).toMatchObject({ frame: 0, gtCount: 2, matched: 2, recall: 1 });
    expect(s[0].ar).toBeCloseTo(0.85, 12);
    expect(s[1].frame).toBe(1);
    expect(Number.isNaN(s[1].recall)).toBe(true);
  });
});
