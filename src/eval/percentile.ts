import { ValidationError, requireInRange } from '../core/index.js';

/**
 * The p-th percentile (p in [0, 100]) by linear interpolation between closest ranks (numpy's default
 * "linear" method). NaN for an empty list. Does not modify the input.
 */
export function percentile(values: readonly number[], p: number): number {
  requireInRange(p, 'percentile', 0, 100);
  if (values.length === 0) return Number.NaN;
  if (values.some((v) => !Number.isFinite(v))) throw new ValidationError('percentile: values must be finite numbers');
  const s = [...values].sort((a, b) => a - b);
  const pos = (p / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** p50 and p95 of a latency list (ms), as in {@link RunSummary}.detectionLatencyMs. NaN when empty. */
export function latencySummary(values: readonly number[]): { p50: number; p95: number } {
  return { p50: percentile(values, 50), p95: percentile(values, 95) };
}
