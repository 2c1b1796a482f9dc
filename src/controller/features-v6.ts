/**
 * Feature layout version 6 (docs/controller.md): version 5's features, then how sure the detector was
 * in the last answer: its highest and its mean detection score. A detector that sees the objects at
 * the quality it was given answers with confident boxes; one that gets too few pixels answers with
 * weak guesses (a running dog in a 320-px image comes back as a "bird" scored 0.15), which says that a
 * higher quality may find what this one missed. Like version 5's, these are measured on the video
 * being processed, not recognised from the training videos.
 */
import type { ContextFeatures } from './context.js';
import { type DerivedFeatureSpec, appendFeatures } from './features.js';
import type { TradeOff } from './features-v2.js';
import { FEATURE_NAMES_V5, featureVectorV5 } from './features-v5.js';

/** The features v6 adds after v5's (linear, in [0, 1]). */
export const FEATURE_SPECS_V6_EXTRA: readonly DerivedFeatureSpec[] = Object.freeze([
  { name: 'lastAnswerMaxScore', transform: 'linear', scale: 1, of: (c: ContextFeatures) => c.lastAnswerMaxScore },
  { name: 'lastAnswerMeanScore', transform: 'linear', scale: 1, of: (c: ContextFeatures) => c.lastAnswerMeanScore },
].map((s) => Object.freeze(s as DerivedFeatureSpec)));

/** Names of the v6 features in vector order (v5's, then the extra ones). */
export const FEATURE_NAMES_V6: readonly string[] = Object.freeze([...FEATURE_NAMES_V5, ...FEATURE_SPECS_V6_EXTRA.map((s) => s.name)]);

/** Length of a v6 feature vector. */
export const FEATURE_SIZE_V6 = FEATURE_NAMES_V6.length;

/** The v6 feature vector of a context under trade-off `t`: v5's values, then the extra ones. */
export function featureVectorV6(ctx: ContextFeatures, t: TradeOff): Float32Array {
  return appendFeatures(featureVectorV5(ctx, t), FEATURE_SPECS_V6_EXTRA, ctx);
}
