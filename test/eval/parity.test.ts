import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COCO_IOU_THRESHOLDS, evaluateDetections } from '../../src/eval/index.js';
import { type FixtureFrame, fixtureMaps } from './helpers.js';

/**
 * Parity with pycocotools 2.0.11 (COCOeval, bbox, area "all"): the expected numbers in
 * fixtures/parity-fixtures.json were produced by fixtures/pycocotools_parity.py, which also documents
 * the fixtures (one hand-made, three random with duplicates, background false positives, cross-class
 * predictions). Our mAR@maxDets must equal pycocotools' AR@maxDets (stats[6..8]).
 */
interface Fixture {
  name: string;
  frames: FixtureFrame[];
  pycocotools: { ar1: number; ar10: number; ar100: number; recallAtIouByClass: Record<string, number[]>; iouThrs: number[] };
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/parity-fixtures.json', import.meta.url), 'utf8')) as Fixture[];

describe('parity with pycocotools', () => {
  it('uses the same IoU thresholds', () => {
    expect([...COCO_IOU_THRESHOLDS]).toEqual(fixtures[0].pycocotools.iouThrs);
  });

  it('hand fixture: pycocotools gives the hand-worked numbers', () => {
    // class 0: gt A,B (frame 0), C,D (frame 1), E (frame 3); matched per threshold: A 10, B 7 (IoU 0.8),
    //   C 3 (IoU 0.6), D 0, E 0 → 20/50 = 0.4; with maxDets 1: A 10 + C 3 = 13/50 = 0.26
    // class 1: gt F (frame 0), G (frame 1). F: q2 (0.6, IoU 0.9) matches at .50–.90 (9 thresholds),
    //   then q1 (0.5, IoU 1) takes F at 0.95 → F matched at all 10; G 0 → 10/20 = 0.5;
    //   maxDets 1 keeps only q2 → 9/20 = 0.45
    // AR@100 = (0.4 + 0.5)/2 = 0.45; AR@1 = (0.26 + 0.45)/2 = 0.355
    const py = fixtures[0].pycocotools;
    expect(py.ar100).toBeCloseTo(0.45, 12);
    expect(py.ar1).toBeCloseTo(0.355, 12);
  });

  for (const fx of fixtures) {
    it(`${fx.name}: AR@1/10/100 and per-class recall per threshold`, () => {
      const { gt, preds } = fixtureMaps(fx.frames);
      const py = fx.pycocotools;
      for (const [maxDets, expected] of [[1, py.ar1], [10, py.ar10], [100, py.ar100]] as const) {
        expect(evaluateDetections(gt, preds, { maxDets }).mar).toBeCloseTo(expected, 12);
      }
      const m = evaluateDetections(gt, preds);
      expect(m.perClass.map((c) => String(c.classId))).toEqual(Object.keys(py.recallAtIouByClass).sort());
      for (const c of m.perClass) {
        const ref = py.recallAtIouByClass[String(c.classId)];
        c.recallAtIou.forEach((r, i) => expect(r).toBeCloseTo(ref[i], 12));
      }
    });
  }
});
