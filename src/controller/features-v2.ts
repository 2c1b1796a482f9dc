/**
 * Feature layout version 2 (docs/controller.md): the v1 context features, fps-normalised ages and
 * latency, and the trade-off weights λ — the inputs of a λ-conditioned learned policy, so one policy
 * covers a range of trade-offs and `--lambda-channel` / `--lambda-energy` move along it at run time.
 */
import type { ContextFeatures } from './context.js';
import { FEATURE_NAMES, featureVector, normaliseFeature } from './features.js';

/** The trade-off weights a v2 policy is conditioned on (docs/controller.md, "Reward"). */
export interface TradeOff {
  /** mAR given up per Mbit/s of mean uplink. */
  readonly lambdaChannel: number;
  /** mAR given up per watt of mean device power. */
  readonly lambdaEnergy: number;
}

/** The features v2 adds after v1's, with their transform: log = ln(1+x)/ln(1+scale), clipped to [0, FEATURE_CLIP]. */
export const FEATURE_SPECS_V2_EXTRA: readonly { readonly name: string; readonly scale: number; readonly of: (c: ContextFeatures, t: TradeOff) => number }[] = Object.freeze([
  { name: 'detectionAgeSeconds', scale: 10, of: (c: ContextFeatures) => c.detectionAgeFrames / Math.max(c.fps, 1e-3) },
  { name: 'secondsSinceLastOffload', scale: 10, of: (c: ContextFeatures) => c.framesSinceLastOffload / Math.max(c.fps, 1e-3) },
  { name: 'lastLatencyFrames', scale: 32, of: (c: ContextFeatures) => (c.lastDetectionLatencyMs * c.fps) / 1000 },
  { name: 'lambdaChannel', scale: 0.1, of: (_c: ContextFeatures, t: TradeOff) => t.lambdaChannel },
  { name: 'lambdaEnergy', scale: 0.1, of: (_c: ContextFeatures, t: TradeOff) => t.lambdaEnergy },
].map((s) => Object.freeze(s)));

/** The state feature of a trade-off weight (λc or λe), as {@link featureVectorV2} writes it. */
export function tradeOffFeature(name: 'lambdaChannel' | 'lambdaEnergy', weight: number): number {
  const spec = FEATURE_SPECS_V2_EXTRA.find((s) => s.name === name)!;
  return normaliseFeature(Math.max(weight, 0), 'log', spec.scale);
}

/** The scale s of the trade-off features' encoding ln(1 + λ) / ln(1 + s) (the same for λc and λe). */
export function tradeOffFeatureScale(): number {
  return FEATURE_SPECS_V2_EXTRA.find((s) => s.name === 'lambdaChannel')!.scale;
}

/** Names of the v2 features in vector order. */
export const FEATURE_NAMES_V2: readonly string[] = Object.freeze([...FEATURE_NAMES, ...FEATURE_SPECS_V2_EXTRA.map((s) => s.name)]);

/** Length of a v2 feature vector. */
export const FEATURE_SIZE_V2 = FEATURE_NAMES_V2.length;

/** The v2 feature vector of a context under trade-off `t`: v1's 14 values, then the extra ones. */
export function featureVectorV2(ctx: ContextFeatures, t: TradeOff): Float32Array {
  const v1 = featureVector(ctx);
  const out = new Float32Array(FEATURE_SIZE_V2);
  out.set(v1);
  let i = v1.length;
  for (const s of FEATURE_SPECS_V2_EXTRA) {
    const x = s.of(ctx, t);
    out[i++] = normaliseFeature(Math.max(x, 0), 'log', s.scale);
  }
  return out;
}
