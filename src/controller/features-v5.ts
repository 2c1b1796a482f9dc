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
import { normaliseFeature } from './features.js';
import type { TradeOff } from './features-v2.js';
import { FEATURE_NAMES_V4, featureVectorV4 } from './features-v4.js';

/** The features v5 adds after v4's (linear, in [0, 1]). */
export const FEATURE_SPECS_V5_EXTRA: readonly { readonly name: string; readonly of: (c: ContextFeatures) => number }[] = Object.freeze([
  { name: 'lastAnswerMatchedShare', of: (c: ContextFeatures) => c.lastAnswerMatched / Math.max(1, c.lastAnswerDetections) },
  { name: 'lastAnswerMatchIou', of: (c: ContextFeatures) => c.lastAnswerMatchIou },
].map((s) => Object.freeze(s)));

/** Names of the v5 features in vector order (v4's, then the extra ones). */
export const FEATURE_NAMES_V5: readonly string[] = Object.freeze([...FEATURE_NAMES_V4, ...FEATURE_SPECS_V5_EXTRA.map((s) => s.name)]);

/** Length of a v5 feature vector. */
export const FEATURE_SIZE_V5 = FEATURE_NAMES_V5.length;

/** The v5 feature vector of a context under trade-off `t`: v4's values, then the extra ones. */
export function featureVectorV5(ctx: ContextFeatures, t: TradeOff): Float32Array {
  const v4 = featureVectorV4(ctx, t);
  const out = new Float32Array(FEATURE_SIZE_V5);
  out.set(v4);
  let i = v4.length;
  for (const s of FEATURE_SPECS_V5_EXTRA) out[i++] = normaliseFeature(Math.max(s.of(ctx), 0), 'linear', 1);
  return out;
}
