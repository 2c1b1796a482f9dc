import type { ContextFeatures } from './context.js';
import { validateContext } from './context.js';

/** How one context field becomes one input of a learned policy. */
export interface FeatureSpec {
  /** Field of {@link ContextFeatures}. */
  readonly name: keyof ContextFeatures;
  /**
   * `linear`: x / scale. `log`: ln(1 + x) / ln(1 + scale), for heavy-tailed counts and times. Both are
   * then clipped to [0, {@link FEATURE_CLIP}], so `scale` maps to 1.
   */
  readonly transform: 'linear' | 'log';
  readonly scale: number;
}

/** Upper clip of every feature. */
export const FEATURE_CLIP = 2;

/** One feature value: `linear` x / scale, `log` ln(1 + x) / ln(1 + scale), clipped to [0, FEATURE_CLIP] (every layout). */
export function normaliseFeature(x: number, transform: 'linear' | 'log', scale: number): number {
  const v = transform === 'linear' ? x / scale : Math.log1p(x) / Math.log1p(scale);
  return Math.min(Math.max(v, 0), FEATURE_CLIP);
}

/**
 * The feature vector layout, version 1 (docs/controller.md). `frameIndex` is deliberately absent: a
 * policy must not depend on absolute time.
 */
export const FEATURE_SPECS: readonly FeatureSpec[] = Object.freeze([
  { name: 'fps', transform: 'linear', scale: 30 },
  { name: 'motionPx', transform: 'log', scale: 32 },
  { name: 'trackCount', transform: 'log', scale: 32 },
  { name: 'lostCount', transform: 'log', scale: 32 },
  { name: 'meanConfidence', transform: 'linear', scale: 1 },
  { name: 'minConfidence', transform: 'linear', scale: 1 },
  { name: 'detectionAgeFrames', transform: 'log', scale: 64 },
  { name: 'framesSinceLastOffload', transform: 'log', scale: 64 },
  { name: 'inFlight', transform: 'linear', scale: 4 },
  { name: 'uplinkMbps', transform: 'log', scale: 100 },
  { name: 'rttMs', transform: 'log', scale: 1000 },
  { name: 'edgeQueueMs', transform: 'log', scale: 1000 },
  { name: 'lastDetectionLatencyMs', transform: 'log', scale: 1000 },
  { name: 'lastOffloadBytes', transform: 'log', scale: 1_000_000 },
].map((s) => Object.freeze(s as FeatureSpec)));

/** Names of the features in vector order. */
export const FEATURE_NAMES: readonly string[] = Object.freeze(FEATURE_SPECS.map((s) => s.name));

/** Version of the feature layout, stored in learned-policy files. */
export const FEATURE_VERSION = 1;

/**
 * Fixed, documented normalisation of a context into a Float32Array of length FEATURE_SPECS.length,
 * every value in [0, FEATURE_CLIP]. Learned policies may z-score this vector further with their own
 * `normalisation` (mean/std) from their file.
 */
export function featureVector(ctx: ContextFeatures): Float32Array {
  validateContext(ctx);
  const out = new Float32Array(FEATURE_SPECS.length);
  FEATURE_SPECS.forEach((s, i) => {
    out[i] = normaliseFeature(ctx[s.name], s.transform, s.scale);
  });
  return out;
}

/** A feature a later layout derives from the context (a ratio, a rescaled size…), normalised like {@link FeatureSpec}. */
export interface DerivedFeatureSpec {
  readonly name: string;
  readonly transform: 'linear' | 'log';
  readonly scale: number;
  readonly of: (c: ContextFeatures) => number;
}

/** `base` followed by the normalised values of `extra` for `ctx` (negative values count as 0): how layouts 3 and 5 extend the one before. */
export function appendFeatures(base: Float32Array, extra: readonly DerivedFeatureSpec[], ctx: ContextFeatures): Float32Array {
  const out = new Float32Array(base.length + extra.length);
  out.set(base);
  extra.forEach((s, i) => {
    out[base.length + i] = normaliseFeature(Math.max(s.of(ctx), 0), s.transform, s.scale);
  });
  return out;
}
