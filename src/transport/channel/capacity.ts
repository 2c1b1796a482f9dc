import { MAHIMAHI_PACKET_BYTES, type ThroughputTrace } from './trace.js';

/**
 * Cumulative delivery capacity of a looping trace, in bytes since trace time 0.
 * `upTo(t)`: bytes deliverable in [0, t]; `before(t)`: in [0, t) (differs only at mahimahi
 * opportunities); `timeOf(pos)`: the earliest t with upTo(t) ≥ pos.
 */
export interface Capacity {
  upTo(tMs: number): number;
  before(tMs: number): number;
  timeOf(pos: number): number;
}

/** The {@link Capacity} of a trace. */
export function capacityOf(trace: ThroughputTrace): Capacity {
  return trace.kind === 'rate' ? rateCapacity(trace) : opportunityCapacity(trace);
}

function rateCapacity(trace: Extract<ThroughputTrace, { kind: 'rate' }>): Capacity {
  const P = trace.periodMs;
  const n = trace.segments.length;
  const starts = trace.segments.map((s) => s.startMs);
  const rates = trace.segments.map((s) => (s.mbps * 1e6) / 8 / 1000); // bytes per ms
  const cumAt = new Array<number>(n + 1);
  cumAt[0] = 0;
  for (let i = 0; i < n; i++) cumAt[i + 1] = cumAt[i] + rates[i] * ((i + 1 < n ? starts[i + 1] : P) - starts[i]);
  const PB = cumAt[n];
  const upTo = (t: number): number => {
    if (t <= 0) return 0;
    const k = Math.floor(t / P);
    const u = t - k * P;
    // last segment with start ≤ u
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= u) lo = mid;
      else hi = mid - 1;
    }
    return k * PB + cumAt[lo] + rates[lo] * (u - starts[lo]);
  };
  const timeOf = (pos: number): number => {
    if (pos <= 0) return 0;
    let k = Math.floor(pos / PB);
    let rem = pos - k * PB;
    if (rem <= 0) {
      k -= 1;
      rem = PB;
    }
    // first i with cumAt[i+1] ≥ rem; then cumAt[i] < rem so rates[i] > 0
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumAt[mid + 1] >= rem) hi = mid;
      else lo = mid + 1;
    }
    return k * P + starts[lo] + (rem - cumAt[lo]) / rates[lo];
  };
  return { upTo, before: upTo, timeOf };
}

function opportunityCapacity(trace: Extract<ThroughputTrace, { kind: 'opportunities' }>): Capacity {
  const T = trace.timesMs;
  const n = T.length;
  const P = trace.periodMs;
  const B = MAHIMAHI_PACKET_BYTES;
  /** number of T_j ≤ u (strict=false) or < u (strict=true) */
  const countIn = (u: number, strict: boolean): number => {
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? T[mid] < u : T[mid] <= u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const upTo = (t: number): number => {
    if (t < 0) return 0;
    const k = Math.floor(t / P);
    return B * (k * n + countIn(t - k * P, false));
  };
  const before = (t: number): number => {
    if (t <= 0) return 0;
    const k = Math.floor(t / P);
    const u = t - k * P;
    if (u === 0) return B * ((k - 1) * n + countIn(P, true));
    return B * (k * n + countIn(u, true));
  };
  const timeOf = (pos: number): number => {
    if (pos <= 0) return 0;
    const c = Math.max(1, Math.ceil(pos / B - 1e-9)); // 1-based index of the opportunity that completes pos
    const k = Math.floor((c - 1) / n);
    return T[(c - 1) % n] + k * P;
  };
  return { upTo, before, timeOf };
}
