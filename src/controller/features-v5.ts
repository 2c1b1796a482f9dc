/**
 * Feature layout version 5 (docs/controller.md): version 4's features, then what the last answer said
 * about the tracker. Its detections were matched to the tracks as they were on the offloaded frame:
 * the share that matched, and how well (mean IoU). Boxes the tracker had kept close to the detector's
 * (a slow scene, a tracker that holds) say that the next answer will change little, whatever the
 * content is; a low IoU or many unmatched detections say the tracks have drifted or objects appeared.
 * These are measured on the video being processed, so they do not depend on recognising the content
 * from the training videos.
 */
import type { ContextFeatures } from './context.js';
import { type DerivedFeatureSpec, appendFeatures } from './features.js';
import type { TradeOff } from './features-v2.js';
import { FEATURE_NAMES_V4, featureVectorV4 } from './features-v4.js';

/** The features v5 adds after v4's (linear, in [0, 1]). */
export const FEATURE_SPECS_V5_EXTRA: readonly DerivedFeatureSpec[] = Object.freeze([
  { name: 'lastAnswerMatchedShare', transform: 'linear', scale: 1, of: (c: ContextFeatures) => c.lastAnswerMatched / Math.max(1, c.lastAnswerDetections) },
  { name: 'lastAnswerMatchIou', transform: 'linear', scale: 1, of: (c: ContextFeatures) => c.lastAnswerMatchIou },
].map((s) => Object.freeze(s as DerivedFeatureSpec)));

/** Names of the v5 features in vector order (v4's, then the extra ones). */
export const FEATURE_NAMES_V5: readonly string[] = Object.freeze([...FEATURE_NAMES_V4, ...FEATURE_SPECS_V5_EXTRA.map((s) => s.name)]);

/** Length of a v5 feature vector. */
export const FEATURE_SIZE_V5 = FEATURE_NAMES_V5.length;

/** The v5 feature vector of a context under trade-off `t`: v4's values, then the extra ones. */
export function featureVectorV5(ctx: ContextFeatures, t: TradeOff): Float32Array {
  return appendFeatures(featureVectorV4(ctx, t), FEATURE_SPECS_V5_EXTRA, ctx);
}
