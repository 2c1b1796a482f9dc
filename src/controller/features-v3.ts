/**
 * Feature layout version 3 (docs/controller.md): version 2's features, then how large the tracked
 * objects would be in an offloaded image and what the last answer found — the inputs that tell a
 * learned policy which quality still lets the detector see the objects (a small dog is lost at 320 px,
 * a dancer is not), on videos it was not trained on.
 */
import { QUALITY_LEVELS } from '../core/index.js';
import type { ContextFeatures } from './context.js';
import { type DerivedFeatureSpec, appendFeatures } from './features.js';
import { FEATURE_NAMES_V2, type TradeOff, featureVectorV2 } from './features-v2.js';

const LOW_SIDE = QUALITY_LEVELS.find((q) => q.name === 'low')!.maxSide;

/** Object side in px of the lowest offload quality's image (frame scaled so its longer side is `low`'s). */
const atLow = (side: number, c: ContextFeatures): number => (side * Math.min(1, LOW_SIDE / c.frameLongSide));

/** The features v3 adds after v2's. */
export const FEATURE_SPECS_V3_EXTRA: readonly DerivedFeatureSpec[] = Object.freeze([
  { name: 'medianObjectPxAtLow', transform: 'log', scale: 128, of: (c: ContextFeatures) => atLow(c.medianObjectSide, c) },
  { name: 'minObjectPxAtLow', transform: 'log', scale: 128, of: (c: ContextFeatures) => atLow(c.minObjectSide, c) },
  { name: 'lastAnswerDetections', transform: 'log', scale: 32, of: (c: ContextFeatures) => c.lastAnswerDetections },
  { name: 'lastAnswerScale', transform: 'linear', scale: 1, of: (c: ContextFeatures) => c.lastAnswerScale },
  { name: 'lastAnswerDetectionsPerTrack', transform: 'linear', scale: 2, of: (c: ContextFeatures) => c.lastAnswerDetections / Math.max(1, c.trackCount + c.lostCount) },
].map((s) => Object.freeze(s as DerivedFeatureSpec)));

/** Names of the v3 features in vector order. */
export const FEATURE_NAMES_V3: readonly string[] = Object.freeze([...FEATURE_NAMES_V2, ...FEATURE_SPECS_V3_EXTRA.map((s) => s.name)]);

/** Length of a v3 feature vector. */
export const FEATURE_SIZE_V3 = FEATURE_NAMES_V3.length;

/** The v3 feature vector of a context under trade-off `t`: v2's values, then the extra ones. */
export function featureVectorV3(ctx: ContextFeatures, t: TradeOff): Float32Array {
  return appendFeatures(featureVectorV2(ctx, t), FEATURE_SPECS_V3_EXTRA, ctx);
}
