import { describe, expect, it } from 'vitest';
import { makeContextFeatures } from '../../src/controller/index.js';
import { FEATURE_NAMES_V2, featureVectorV2 } from '../../src/controller/features-v2.js';
import { FEATURE_NAMES_V3, FEATURE_SIZE_V3, featureVectorV3 } from '../../src/controller/features-v3.js';

const T = { lambdaChannel: 0.01, lambdaEnergy: 0.002 };
const log = (x: number, scale: number): number => Math.log1p(x) / Math.log1p(scale);

describe('feature layout v3', () => {
  it('is v2 followed by object sizes at the lowest quality and what the last answer found', () => {
    expect(FEATURE_SIZE_V3).toBe(FEATURE_NAMES_V2.length + 5);
    expect(FEATURE_NAMES_V3.slice(0, FEATURE_NAMES_V2.length)).toEqual(FEATURE_NAMES_V2);
    expect(FEATURE_NAMES_V3.slice(FEATURE_NAMES_V2.length)).toEqual(['medianObjectPxAtLow', 'minObjectPxAtLow', 'lastAnswerDetections', 'lastAnswerScale', 'lastAnswerDetectionsPerTrack']);
  });

  it('normalises each value as documented (objects scaled to the 320-px image, clipped to [0, 2])', () => {
    const ctx = makeContextFeatures({
      frameIndex: 50, trackCount: 3, lostCount: 1, medianObjectSide: 100, minObjectSide: 40, frameLongSide: 1280,
      lastAnswerDetections: 6, lastAnswerScale: 0.375,
    });
    const v = featureVectorV3(ctx, T);
    const v2 = featureVectorV2(ctx, T);
    expect([...v.slice(0, v2.length)]).toEqual([...v2]);
    const extra = [...v.slice(v2.length)];
    expect(extra[0]).toBeCloseTo(log(25, 128), 6); // 100 px × 320/1280
    expect(extra[1]).toBeCloseTo(log(10, 128), 6);
    expect(extra[2]).toBeCloseTo(log(6, 32), 6);
    expect(extra[3]).toBeCloseTo(0.375, 6);
    expect(extra[4]).toBeCloseTo(6 / 4 / 2, 6); // detections per (tracked + lost) track, scale 2
    // a frame smaller than the low quality is not upscaled; huge counts clip at 2
    const small = featureVectorV3(makeContextFeatures({ frameIndex: 1, medianObjectSide: 50, minObjectSide: 50, frameLongSide: 200, lastAnswerDetections: 5000, lastAnswerScale: 1 }), T);
    expect(small[v2.length]).toBeCloseTo(log(50, 128), 6);
    expect(small[v2.length + 2]).toBe(2);
    expect(small[v2.length + 4]).toBe(2);
  });

  it('priors before any track or answer give zeros', () => {
    const v = featureVectorV3(makeContextFeatures({ frameIndex: 0 }), T);
    expect([...v.slice(FEATURE_NAMES_V2.length)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('refuses out-of-range new context fields, naming them', () => {
    expect(() => makeContextFeatures({ frameIndex: 0, lastAnswerScale: 1.5 })).toThrow(/context\.lastAnswerScale/);
    expect(() => makeContextFeatures({ frameIndex: 0, frameLongSide: 0 })).toThrow(/context\.frameLongSide/);
    expect(() => makeContextFeatures({ frameIndex: 0, lastAnswerDetections: 1.5 })).toThrow(/context\.lastAnswerDetections/);
    expect(() => makeContextFeatures({ frameIndex: 0, medianObjectSide: -1 })).toThrow(/context\.medianObjectSide/);
  });
});
