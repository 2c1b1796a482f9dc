/**
 * Feature layout version 4 (docs/controller.md): version 3 without the raw frame rate. With a handful
 * of training videos the frame rate names the content (one 7 fps video of pedestrians, every 24 fps
 * one of animals, cars or dancers), so a policy keyed on it treats a 25 fps pedestrian video like a
 * DAVIS clip. What the frame rate changes for the controller stays in the state: the detection's age
 * and time since the last offload in frames and in seconds, and the last latency in frames.
 */
import type { ContextFeatures } from './context.js';
import type { TradeOff } from './features-v2.js';
import { FEATURE_NAMES_V3, featureVectorV3 } from './features-v3.js';

/** Index of the v3 feature that v4 leaves out. */
const FPS_INDEX = FEATURE_NAMES_V3.indexOf('fps');

/** Names of the v4 features in vector order (v3's without `fps`). */
export const FEATURE_NAMES_V4: readonly string[] = Object.freeze(FEATURE_NAMES_V3.filter((_, i) => i !== FPS_INDEX));

/** Length of a v4 feature vector. */
export const FEATURE_SIZE_V4 = FEATURE_NAMES_V4.length;

/** The v4 feature vector of a context under trade-off `t`: v3's values without the frame rate. */
export function featureVectorV4(ctx: ContextFeatures, t: TradeOff): Float32Array {
  const v3 = featureVectorV3(ctx, t);
  const out = new Float32Array(FEATURE_SIZE_V4);
  out.set(v3.subarray(0, FPS_INDEX), 0);
  out.set(v3.subarray(FPS_INDEX + 1), FPS_INDEX);
  return out;
}
