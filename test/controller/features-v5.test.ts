import { describe, expect, it } from 'vitest';
import { makeContextFeatures } from '../../src/controller/index.js';
import { FEATURE_NAMES_V4, featureVectorV4 } from '../../src/controller/features-v4.js';
import { FEATURE_NAMES_V5, FEATURE_SIZE_V5, featureVectorV5 } from '../../src/controller/features-v5.js';
import { stateLayout } from '../../src/controller/feature-layouts.js';

const T = { lambdaChannel: 0.01, lambdaEnergy: 0.002 };

describe('feature layout v5', () => {
  it('is v4 followed by the matched share and the match IoU of the last answer', () => {
    expect(FEATURE_NAMES_V5).toEqual([...FEATURE_NAMES_V4, 'lastAnswerMatchedShare', 'lastAnswerMatchIou']);
    expect(FEATURE_SIZE_V5).toBe(FEATURE_NAMES_V4.length + 2);
    expect(stateLayout(5).names).toEqual(FEATURE_NAMES_V5);
    expect(stateLayout(5).vector).toBe(featureVectorV5);
  });

  it('has v4\'s values first, then matched / detections and the IoU', () => {
    const ctx = makeContextFeatures({ frameIndex: 40, trackCount: 3, lastAnswerDetections: 4, lastAnswerMatched: 3, lastAnswerMatchIou: 0.72 });
    const v = featureVectorV5(ctx, T);
    const n = FEATURE_NAMES_V4.length;
    expect([...v.subarray(0, n)]).toEqual([...featureVectorV4(ctx, T)]);
    expect(v[n]).toBeCloseTo(0.75, 6);
    expect(v[n + 1]).toBeCloseTo(0.72, 6);
  });

  it('is 0, 0 before the first answer and when an answer had no detections', () => {
    const v = featureVectorV5(makeContextFeatures({ frameIndex: 3 }), T);
    expect([...v.subarray(-2)]).toEqual([0, 0]);
    const empty = featureVectorV5(makeContextFeatures({ frameIndex: 3, lastAnswerDetections: 0, lastAnswerMatched: 0, lastAnswerMatchIou: 0 }), T);
    expect([...empty.subarray(-2)]).toEqual([0, 0]);
  });

  it('refuses a match IoU outside [0, 1] and a fractional match count, naming the field', () => {
    expect(() => makeContextFeatures({ frameIndex: 1, lastAnswerMatchIou: 1.2 })).toThrow(/context\.lastAnswerMatchIou/);
    expect(() => makeContextFeatures({ frameIndex: 1, lastAnswerMatched: 1.5 })).toThrow(/context\.lastAnswerMatched/);
  });
});
