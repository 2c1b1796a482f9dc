import type { RunSummary } from './run-summary.js';

/** Mean and spread of one number over runs (finite values only; NaN when none). */
export interface Spread {
  readonly mean: number;
  /** Sample standard deviation (n − 1); 0 for one value. */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  /** Runs with a finite value. */
  readonly n: number;
}

/** Every run of one policy (optionally within one group: a sequence or a trace group), averaged. */
export interface PolicySummary {
  readonly policy: string;
  /** The group's name when summarised per group, else undefined. */
  readonly group?: string;
  readonly runs: number;
  readonly mar: Spread;
  readonly hota: Spread;
  readonly mota: Spread;
  readonly idf1: Spread;
  readonly bytesSent: Spread;
  readonly channelFraction: Spread;
  readonly deviceEnergyJ: Spread;
}

/** Mean, sample sd, min and max of the finite values. */
export function spread(values: readonly (number | undefined)[]): Spread {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return { mean: Number.NaN, sd: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd, min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

/**
 * Averages runs per policy — or per (group, policy) when `groupOf` is given (e.g. the sequence or the
 * trace group). Policies keep the order of their first run; groups are sorted. Pure.
 */
export function summarizeByPolicy(results: readonly RunSummary[], groupOf?: (r: RunSummary) => string): PolicySummary[] {
  const buckets = new Map<string, { policy: string; group?: string; runs: RunSummary[] }>();
  for (const r of results) {
    const group = groupOf?.(r);
    const key = JSON.stringify([group ?? '', r.policy]);
    const b = buckets.get(key) ?? { policy: r.policy, ...(group !== undefined ? { group } : {}), runs: [] };
    b.runs.push(r);
    buckets.set(key, b);
  }
  const policyOrder = [...new Set(results.map((r) => r.policy))];
  const out = [...buckets.values()].map((b) => ({
    policy: b.policy,
    ...(b.group !== undefined ? { group: b.group } : {}),
    runs: b.runs.length,
    mar: spread(b.runs.map((r) => r.mar)),
    hota: spread(b.runs.map((r) => r.hota)),
    mota: spread(b.runs.map((r) => r.mota)),
    idf1: spread(b.runs.map((r) => r.idf1)),
    bytesSent: spread(b.runs.map((r) => r.bytesSent)),
    channelFraction: spread(b.runs.map((r) => r.channelFraction)),
    deviceEnergyJ: spread(b.runs.map((r) => r.deviceEnergyJ)),
  }));
  return out.sort((a, b) => (a.group ?? '').localeCompare(b.group ?? '') || policyOrder.indexOf(a.policy) - policyOrder.indexOf(b.policy));
}
