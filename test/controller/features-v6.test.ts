import { describe, expect, it } from 'vitest';
import { makeContextFeatures } from '../../src/controller/index.js';
import { FEATURE_NAMES_V5, featureVectorV5 } from '../../src/controller/features-v5.js';
import { FEATURE_NAMES_V6, FEATURE_SIZE_V6, featureVectorV6 } from '../../src/controller/features-v6.js';
import { stateLayout } from '../../src/controller/feature-layouts.js';

const T = { lambdaChannel: 0.01, lambdaEnergy: 0.002 };

describe('feature layout v6', () => {
  it('is v5 followed by the highest and the mean detection score of the last answer', () => {
    expect(FEATURE_NAMES_V6).toEqual([...FEATURE_NAMES_V5, 'lastAnswerMaxScore', 'lastAnswerMeanScore']);
    expect(FEATURE_SIZE_V6).toBe(FEATURE_NAMES_V5.length + 2);
    expect(stateLayout(6).names).toEqual(FEATURE_NAMES_V6);
    expect(stateLayout(6).vector).toBe(featureVectorV6);
  });

  it('has v5\'s values first, then the two scores as they are', () => {
    const ctx = makeContextFeatures({ frameIndex: 40, trackCount: 2, lastAnswerDetections: 3, lastAnswerMatched: 2, lastAnswerMatchIou: 0.6, lastAnswerMaxScore: 0.83, lastAnswerMeanScore: 0.41 });
    const v = featureVectorV6(ctx, T);
    const n = FEATURE_NAMES_V5.length;
    expect([...v.subarray(0, n)]).toEqual([...featureVectorV5(ctx, T)]);
    expect(v[n]).toBeCloseTo(0.83, 6);
    expect(v[n + 1]).toBeCloseTo(0.41, 6);
  });

  it('is 0, 0 before the first answer', () => {
    expect([...featureVectorV6(makeContextFeatures({ frameIndex: 3 }), T).subarray(-2)]).toEqual([0, 0]);
  });

  it('refuses scores outside [0, 1], naming the field', () => {
    expect(() => makeContextFeatures({ frameIndex: 1, lastAnswerMaxScore: 1.5 })).toThrow(/context\.lastAnswerMaxScore: expected/);
    expect(() => makeContextFeatures({ frameIndex: 1, lastAnswerMeanScore: -0.1 })).toThrow(/context\.lastAnswerMeanScore: expected/);
    expect(() => makeContextFeatures({ frameIndex: 1, lastAnswerMaxScore: Number.NaN })).toThrow(/context\.lastAnswerMaxScore/);
  });
});
