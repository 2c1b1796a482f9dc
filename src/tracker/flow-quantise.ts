/**
 * Quantisation of OpenCV's float32 flow into the Int16 of a {@link FrameMotion}:
 * `clamp(Math.round(v · FLOW_UNITS), −32768, 32767)` per value (NaN → 0), written without Math.round:
 * for x = v · 16 with v a float32, x + 0.5 is exact (x has at most 24 significant bits) wherever it
 * matters, so Math.round(x) = floor(x + 0.5), and floor of a value inside the Int16 range is a
 * truncation corrected by one below zero.
 */
import { FLOW_UNITS } from './frame-motion.js';

/** The Int16 of one flow value (the definition). */
export function quantiseFlowValue(v: number): number {
  const q = Math.max(-32768, Math.min(32767, Math.round(v * FLOW_UNITS)));
  return Number.isNaN(q) ? 0 : q;
}

/** Writes the quantised value of every `flow[i]` into `out[i]` (same length): the same numbers as {@link quantiseFlowValue}. */
export function quantiseFlow(flow: Float32Array, out: Int16Array): void {
  if (out.length !== flow.length) throw new RangeError(`quantiseFlow: expected an output of ${flow.length} values, got ${out.length}`);
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const x = flow[i] * FLOW_UNITS;
    if (x >= 32767) out[i] = 32767;
    else if (x <= -32768) out[i] = -32768;
    else {
      const t = x + 0.5;
      const q = t | 0; // truncation (NaN → 0)
      out[i] = q > t ? q - 1 : q;
    }
  }
}
