/**
 * Feature layout version 3 (docs/controller.md): version 2's features, then how large the tracked
 * objects would be in an offloaded image and what the last answer found — the inputs that tell a
 * learned policy which quality still lets the detector see the objects (a small dog is lost at 320 px,
 * a dancer is not), on videos it was not trained on.
 */
import { QUALITY_LEVELS } from '../core/index.js';
import type { ContextFeatures } from './context.js';
import { normaliseFeature } from './features.js';
import { FEATURE_NAMES_V2, type TradeOff, featureVectorV2 } from './features-v2.js';

const LOW_SIDE = QUALITY_LEVELS.find((q) => q.name === 'low')!.maxSide;

/** Object side in px of the lowest offload quality's image (frame scaled so its longer side is `low`'s). */
const atLow = (side: number, c: ContextFeatures): number => (side * Math.min(1, LOW_SIDE / c.frameLongSide));

/** One v3 feature: `log` = ln(1+x)/ln(1+scale), `linear` = x/scale; then clipped to [0, FEATURE_CLIP]. */
interface ExtraSpec {
  readonly name: string;
  readonly transform: 'log' | 'linear';
  readonly scale: number;
  readonly of: (c: ContextFeatures) => number;
}

/** The features v3 adds after v2's. */
export const FEATURE_SPECS_V3_EXTRA: readonly ExtraSpec[] = Object.freeze([
  { name: 'medianObjectPxAtLow', transform: 'log', scale: 128, of: (c: ContextFeatures) => atLow(c.medianObjectSide, c) },
  { name: 'minObjectPxAtLow', transform: 'log', scale: 128, of: (c: ContextFeatures) => atLow(c.minObjectSide, c) },
  { name: 'lastAnswerDetections', transform: 'log', scale: 32, of: (c: ContextFeatures) => c.lastAnswerDetections },
  { name: 'lastAnswerScale', transform: 'linear', scale: 1, of: (c: ContextFeatures) => c.lastAnswerScale },
  { name: 'lastAnswerDetectionsPerTrack', transform: 'linear', scale: 2, of: (c: ContextFeatures) => c.lastAnswerDetections / Math.max(1, c.trackCount + c.lostCount) },
].map((s) => Object.freeze(s as ExtraSpec)));

/** Names of the v3 features in vector order. */
export const FEATURE_NAMES_V3: readonly string[] = Object.freeze([...FEATURE_NAMES_V2, ...FEATURE_SPECS_V3_EXTRA.map((s) => s.name)]);

/** Length of a v3 feature vector. */
export const FEATURE_SIZE_V3 = FEATURE_NAMES_V3.length;

/** The v3 feature vector of a context under trade-off `t`: v2's values, then the extra ones. */
export function featureVectorV3(ctx: ContextFeatures, t: TradeOff): Float32Array {
  const v2 = featureVectorV2(ctx, t);
  const out = new Float32Array(FEATURE_SIZE_V3);
  out.set(v2);
  let i = v2.length;
  for (const s of FEATURE_SPECS_V3_EXTRA) {
    out[i++] = normaliseFeature(Math.max(s.of(ctx), 0), s.transform, s.scale);
  }
  return out;
}
