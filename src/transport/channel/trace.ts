import { ValidationError } from '../../core/index.js';

/** Bytes one mahimahi delivery opportunity carries. */
export const MAHIMAHI_PACKET_BYTES = 1500;

/** One constant-rate piece of a rate trace. */
export interface RateSegment {
  /** Start, ms from the start of the trace period. */
  readonly startMs: number;
  /** Capacity in megabits per second (10^6 bit/s). */
  readonly mbps: number;
}

/** Piecewise-constant throughput (Pensieve-style or CSV), looping every `periodMs`. */
export interface RateTrace {
  readonly kind: 'rate';
  readonly name: string;
  /** Length of one loop; the last segment lasts until here. */
  readonly periodMs: number;
  /** Sorted by start; the first starts at 0. */
  readonly segments: readonly RateSegment[];
}

/** mahimahi: delivery opportunities of 1500 bytes at these times; loops every `periodMs` (= last time). */
export interface OpportunityTrace {
  readonly kind: 'opportunities';
  readonly name: string;
  readonly periodMs: number;
  /** Non-decreasing opportunity times in [0, periodMs]; repeats allowed (several packets in one ms). */
  readonly timesMs: readonly number[];
}

/** A recorded or generated uplink capacity over time. */
export type ThroughputTrace = RateTrace | OpportunityTrace;

/**
 * Builds a validated rate trace from consecutive (start, Mbps) points, each lasting until the next
 * start; the last lasts `lastDurationMs`. Starts are shifted so the first is 0.
 */
export function makeRateTrace(name: string, points: readonly { startMs: number; mbps: number }[], lastDurationMs: number): RateTrace {
  if (points.length === 0) throw new ValidationError(`${name}: expected at least one throughput sample, got none`, { name });
  const t0 = points[0].startMs;
  const segments = points.map((p, i) => {
    if (!Number.isFinite(p.mbps) || p.mbps < 0) throw new ValidationError(`${name}: sample ${i}: expected Mbps ≥ 0, got ${p.mbps}`, { name, index: i });
    if (i > 0 && !(p.startMs > points[i - 1].startMs)) {
      throw new ValidationError(`${name}: sample ${i}: expected time > ${points[i - 1].startMs} ms, got ${p.startMs} ms`, { name, index: i });
    }
    return Object.freeze({ startMs: p.startMs - t0, mbps: p.mbps });
  });
  if (!(lastDurationMs > 0)) throw new ValidationError(`${name}: last segment duration: expected > 0 ms, got ${lastDurationMs}`, { name });
  const periodMs = points[points.length - 1].startMs - t0 + lastDurationMs;
  if (!segments.some((s) => s.mbps > 0)) throw new ValidationError(`${name}: expected some capacity, every sample is 0 Mbps`, { name });
  return Object.freeze({ kind: 'rate', name, periodMs, segments: Object.freeze(segments) });
}

/** Builds a validated mahimahi opportunity trace. */
export function makeOpportunityTrace(name: string, timesMs: readonly number[]): OpportunityTrace {
  if (timesMs.length === 0) throw new ValidationError(`${name}: expected at least one delivery opportunity, got none`, { name });
  for (let i = 0; i < timesMs.length; i++) {
    const t = timesMs[i];
    if (!Number.isFinite(t) || t < 0) throw new ValidationError(`${name}: opportunity ${i}: expected a time ≥ 0 ms, got ${t}`, { name, index: i });
    if (i > 0 && t < timesMs[i - 1]) throw new ValidationError(`${name}: opportunity ${i}: expected time ≥ ${timesMs[i - 1]} ms, got ${t}`, { name, index: i });
  }
  const periodMs = timesMs[timesMs.length - 1];
  if (!(periodMs > 0)) throw new ValidationError(`${name}: expected the last timestamp > 0 ms (it is the loop period), got ${periodMs}`, { name });
  return Object.freeze({ kind: 'opportunities', name, periodMs, timesMs: Object.freeze([...timesMs]) });
}

/** Mean capacity of one loop of the trace, Mbps. */
export function traceMeanMbps(trace: ThroughputTrace): number {
  if (trace.kind === 'opportunities') return (trace.timesMs.length * MAHIMAHI_PACKET_BYTES * 8) / (trace.periodMs * 1000);
  let bits = 0;
  trace.segments.forEach((s, i) => {
    const end = i + 1 < trace.segments.length ? trace.segments[i + 1].startMs : trace.periodMs;
    bits += s.mbps * 1000 * (end - s.startMs);
  });
  return bits / (trace.periodMs * 1000);
}
