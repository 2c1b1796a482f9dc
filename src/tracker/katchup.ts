/** Pure helpers of Katch-Up: which buffered frames to re-track, and box interpolation for history. */
import { type Box, type KatchupMode, ValidationError, describeValue } from '../core/index.js';

/** Checks a KatchupMode value (as produced by core `parseKatchupMode`); `stride:1` is treated as `full`. */
export function validateKatchupMode(mode: KatchupMode): KatchupMode {
  if (mode?.kind === 'off' || mode?.kind === 'full') return mode;
  if (mode?.kind === 'stride') {
    if (!Number.isInteger(mode.stride) || mode.stride < 1) {
      throw new ValidationError(`katchup.stride: expected an integer ≥ 1, got ${describeValue(mode.stride)}`, { field: 'katchup.stride' });
    }
    return mode.stride === 1 ? { kind: 'full' } : mode;
  }
  throw new ValidationError(`katchup: expected {kind: "off" | "full" | "stride"}, got ${describeValue(mode)}`, { field: 'katchup' });
}

/**
 * Indices (into `buffered`, the buffered frame indices after k up to t, ascending) of the frames to
 * re-track: all of them for `full`; every `stride`-th one plus the last (t) for `stride`; none for `off`.
 */
export function selectRetrackFrames(buffered: readonly number[], mode: KatchupMode): number[] {
  if (mode.kind === 'off' || buffered.length === 0) return [];
  if (mode.kind === 'full') return buffered.map((_, i) => i);
  const out: number[] = [];
  for (let i = mode.stride - 1; i < buffered.length; i += mode.stride) out.push(i);
  if (out.at(-1) !== buffered.length - 1) out.push(buffered.length - 1);
  return out;
}

/**
 * Box at frame `j` from keyframes (ascending frame indices with boxes): linear interpolation between
 * the surrounding keyframes, the nearest keyframe's box outside their range.
 */
export function interpolateBox(keys: readonly { readonly frame: number; readonly box: Box }[], j: number): Box {
  if (keys.length === 0) throw new Error('interpolateBox: no keyframes');
  if (j <= keys[0].frame) return keys[0].box;
  for (let i = 1; i < keys.length; i++) {
    const b = keys[i];
    if (j <= b.frame) {
      const a = keys[i - 1];
      const w = (j - a.frame) / (b.frame - a.frame);
      const l = (p: number, q: number) => p + (q - p) * w;
      return Object.freeze({ x1: l(a.box.x1, b.box.x1), y1: l(a.box.y1, b.box.y1), x2: l(a.box.x2, b.box.x2), y2: l(a.box.y2, b.box.y2) });
    }
  }
  return keys[keys.length - 1].box;
}
