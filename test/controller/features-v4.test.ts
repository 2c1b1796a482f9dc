import { describe, expect, it } from 'vitest';
import { makeContextFeatures } from '../../src/controller/index.js';
import { FEATURE_NAMES_V3, featureVectorV3 } from '../../src/controller/features-v3.js';
import { FEATURE_NAMES_V4, FEATURE_SIZE_V4, featureVectorV4 } from '../../src/controller/features-v4.js';
import { stateLayout } from '../../src/controller/feature-layouts.js';

const T = { lambdaChannel: 0.01, lambdaEnergy: 0.002 };

describe('feature layout v4', () => {
  it('is v3 without the frame rate, in v3\'s order', () => {
    expect(FEATURE_SIZE_V4).toBe(FEATURE_NAMES_V3.length - 1);
    expect(FEATURE_NAMES_V4).toEqual(FEATURE_NAMES_V3.filter((n) => n !== 'fps'));
    expect(stateLayout(4).names).toEqual(FEATURE_NAMES_V4);
    expect(() => stateLayout(7)).toThrow(/featureVersion: expected 2, 3, 4, 5 or 6, got 7/);
  });

  it('has v3\'s values but does not change with the frame rate alone', () => {
    const base = { frameIndex: 40, trackCount: 3, detectionAgeFrames: 12, framesSinceLastOffload: 6, lastDetectionLatencyMs: 300, medianObjectSide: 80, minObjectSide: 30, frameLongSide: 640 };
    const at = (fps: number) => makeContextFeatures({ ...base, fps });
    const v3 = featureVectorV3(at(25), T);
    const v4 = featureVectorV4(at(25), T);
    expect([...v4]).toEqual([...v3].filter((_, i) => FEATURE_NAMES_V3[i] !== 'fps'));
    // at 7 fps the same frame counts are longer in seconds, the latency fewer frames: those change, nothing else
    const slow = featureVectorV4(at(7), T);
    const changed = FEATURE_NAMES_V4.filter((_, i) => slow[i] !== v4[i]);
    expect(changed.sort()).toEqual(['detectionAgeSeconds', 'lastLatencyFrames', 'secondsSinceLastOffload']);
  });
});
