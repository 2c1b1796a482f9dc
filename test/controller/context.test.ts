import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTEXT, FEATURE_CLIP, FEATURE_NAMES, featureVector, makeContextFeatures } from '../../src/controller/index.js';

describe('makeContextFeatures', () => {
  it('fills priors; ages default to frameIndex + 1 ("never")', () => {
    const c = makeContextFeatures({ frameIndex: 4 });
    expect(c.detectionAgeFrames).toBe(5);
    expect(c.framesSinceLastOffload).toBe(5);
    expect(c.uplinkMbps).toBe(DEFAULT_CONTEXT.uplinkMbps);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names the bad field', () => {
    expect(() => makeContextFeatures({ frameIndex: 0, rttMs: -1 })).toThrow(/context\.rttMs: expected a number in \[0, /);
    expect(() => makeContextFeatures({ frameIndex: 0, meanConfidence: 1.5 })).toThrow(/context\.meanConfidence: expected a number in \[0, 1\], got 1.5/);
    expect(() => makeContextFeatures({ frameIndex: 0, trackCount: 2.5 })).toThrow(/context\.trackCount: expected an integer ≥ 0, got 2.5/);
    expect(() => makeContextFeatures({ frameIndex: -1 })).toThrow(/context\.frameIndex/);
  });
});

describe('featureVector', () => {
  it('hand-worked normalisation (v1 layout)', () => {
    const c = makeContextFeatures({
      frameIndex: 100, fps: 15, motionPx: 32, trackCount: 3, lostCount: 0, meanConfidence: 0.8, minConfidence: 0.4,
      detectionAgeFrames: 64, framesSinceLastOffload: 7, inFlight: 1, uplinkMbps: 100, rttMs: 1000, edgeQueueMs: 0,
      lastDetectionLatencyMs: 10_000_000, lastOffloadBytes: 20_000,
    });
    const v = featureVector(c);
    expect(v).toHaveLength(FEATURE_NAMES.length);
    const ln = Math.log1p;
    const expected = [
      15 / 30, // fps linear /30
      1, // motion log1p(32)/log1p(32)
      ln(3) / ln(32), // trackCount
      0, // lostCount
      0.8, 0.4, // confidences linear
      1, // age log1p(64)/log1p(64)
      ln(7) / ln(64),
      1 / 4, // inFlight /4
      1, 1, 0, // uplink, rtt, queue at their scales
      FEATURE_CLIP, // latency ln(1e7+1)/ln(1001) ≈ 2.33 → clipped to 2
      ln(20_000) / ln(1_000_000),
    ];
    expected.forEach((e, i) => expect(v[i]).toBeCloseTo(e, 6));
  });

  it('does not depend on frameIndex', () => {
    const a = featureVector(makeContextFeatures({ frameIndex: 10, detectionAgeFrames: 3, framesSinceLastOffload: 3 }));
    const b = featureVector(makeContextFeatures({ frameIndex: 9999, detectionAgeFrames: 3, framesSinceLastOffload: 3 }));
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
