import { ValidationError } from './errors.js';

/**
 * How much catch-up to spend when late detections for frame k arrive at frame t:
 * `off` applies the stale boxes at t; `full` re-tracks every buffered frame k+1..t;
 * `stride` re-tracks every `stride`-th buffered frame plus t.
 */
export type KatchupMode =
  | { readonly kind: 'off' }
  | { readonly kind: 'full' }
  | { readonly kind: 'stride'; readonly stride: number };

/** Parses `off`, `full` or `stride:S` (S ≥ 2; `stride:1` is `full`). */
export function parseKatchupMode(spec: string): KatchupMode {
  const s = spec.trim().toLowerCase();
  if (s === 'off') return { kind: 'off' };
  if (s === 'full') return { kind: 'full' };
  const m = /^stride:(\d+)$/.exec(s);
  if (m) {
    const stride = Number(m[1]);
    if (stride < 1) throw new ValidationError(`katchup: stride must be ≥ 1, got ${stride}`);
    return stride === 1 ? { kind: 'full' } : { kind: 'stride', stride };
  }
  throw new ValidationError(`katchup: expected "off", "full" or "stride:S", got ${JSON.stringify(spec)}`, { spec });
}

/** Inverse of {@link parseKatchupMode}. */
export function formatKatchupMode(mode: KatchupMode): string {
  return mode.kind === 'stride' ? `stride:${mode.stride}` : mode.kind;
}

/** An offload quality level: the frame is resized so its longer side is at most `maxSide`, then JPEG-encoded. */
export interface QualityLevel {
  readonly name: string;
  /** Longer side in pixels after resizing (never upscaled). */
  readonly maxSide: number;
  /** JPEG quality 1..100. */
  readonly jpegQuality: number;
}

/** Built-in quality levels, lowest first. */
export const QUALITY_LEVELS: readonly QualityLevel[] = Object.freeze([
  Object.freeze({ name: 'low', maxSide: 320, jpegQuality: 50 }),
  Object.freeze({ name: 'medium', maxSide: 480, jpegQuality: 70 }),
  Object.freeze({ name: 'high', maxSide: 640, jpegQuality: 85 }),
  Object.freeze({ name: 'full', maxSide: 100_000, jpegQuality: 95 }),
]);

/** Looks a quality level up by name; throws listing the known names. */
export function qualityLevel(name: string): QualityLevel {
  const q = QUALITY_LEVELS.find((l) => l.name === name);
  if (!q) throw new ValidationError(`quality: expected one of ${QUALITY_LEVELS.map((l) => l.name).join(', ')}, got ${JSON.stringify(name)}`);
  return q;
}

/** What the controller decided for one frame. */
export type Decision =
  | { readonly kind: 'none' }
  | { readonly kind: 'offload'; readonly quality: QualityLevel; readonly katchup: KatchupMode; readonly model?: string };
