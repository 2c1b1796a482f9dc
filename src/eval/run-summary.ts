import type { EnergyBreakdown } from './energy.js';
import type { TrackingMetrics } from './tracking/index.js';

/** The tracking metrics of a run, flat (report.json `tracking`). Ratios in [0, 1] (MOTA may be < 0). */
export interface TrackingSummary {
  readonly hota: number;
  readonly detA: number;
  readonly assA: number;
  readonly locA: number;
  readonly mota: number;
  readonly motp: number;
  readonly idf1: number;
  readonly idp: number;
  readonly idr: number;
  readonly idsw: number;
  readonly fp: number;
  readonly fn: number;
  readonly frag: number;
  readonly mt: number;
  readonly pt: number;
  readonly ml: number;
  readonly gtIds: number;
  readonly trackerIds: number;
}

/** Flattens {@link TrackingMetrics} for reports. */
export function toTrackingSummary(m: TrackingMetrics): TrackingSummary {
  const { clear: c, identity: i, hota: h } = m;
  return {
    hota: h.hota, detA: h.detA, assA: h.assA, locA: h.locA, mota: c.mota, motp: c.motp, idf1: i.idf1, idp: i.idp, idr: i.idr,
    idsw: c.idsw, fp: c.fp, fn: c.fn, frag: c.frag, mt: c.mt, pt: c.pt, ml: c.ml, gtIds: m.gtIds, trackerIds: m.trackerIds,
  };
}

/**
 * One run of one policy on one trace: what `edgetrack run` writes to report.json and what
 * `edgetrack eval` collects per (policy, trace). Ratios are NaN when undefined (serialised as null).
 */
export interface RunSummary {
  /** Canonical policy spec (Policy.name). */
  readonly policy: string;
  /** Channel trace name (file base name or preset). */
  readonly trace: string;
  /** Output frames (every input frame yields one). */
  readonly frames: number;
  /** COCO mAR (IoU 0.50:0.05:0.95, maxDets 100) over every output frame. */
  readonly mar: number;
  /** Recall at IoU 0.5. */
  readonly ar50: number;
  /** Precision at IoU 0.5. */
  readonly precision: number;
  /** F1 at IoU 0.5. */
  readonly f1: number;
  /**
   * `human`: MOT gt.txt; `oracle`: the detector on every frame at full quality; `none`: not scored
   * (`--no-eval`, a live source, or a run cut short — interrupted or by its source failing — without
   * `--gt`), metrics are NaN.
   */
  readonly groundTruth: 'human' | 'oracle' | 'none';
  /** HOTA (mean over α) with human ground truth; NaN/undefined otherwise (the oracle has no identities). */
  readonly hota?: number;
  /** MOTA with human ground truth. */
  readonly mota?: number;
  /** IDF1 with human ground truth. */
  readonly idf1?: number;
  /** Every tracking metric (human ground truth only). */
  readonly tracking?: TrackingSummary;
  /** Names of the scored COCO classes. */
  readonly scoredClasses?: readonly string[];
  /** Where the scored class came from: "cow (objectClass in …/seqinfo.ini)". */
  readonly classSource?: string;
  /** Problems a person must see (e.g. no tracked box of the scored class). */
  readonly warnings?: readonly string[];
  /** Benchmark evaluation: the sequence (folder name) this run scored. */
  readonly sequence?: string;
  /** The group of the trace: the folder it came from, or the preset name. */
  readonly traceGroup?: string;
  /** Offload requests sent. */
  readonly offloads: number;
  /** Uplink payload bytes. */
  readonly bytesSent: number;
  /** bytesSent / bytesSent of policy `full` on the same trace (see {@link withChannelFractions}). */
  readonly channelFraction?: number;
  /** Frames re-tracked by Katch-Up. */
  readonly katchupFrames: number;
  /** Device energy (J) = energyByComponent.total. */
  readonly deviceEnergyJ: number;
  readonly energyByComponent: EnergyBreakdown;
  /** Send-to-applied latency of answered offloads (ms). */
  readonly detectionLatencyMs: { readonly p50: number; readonly p95: number };
  /** Wall-clock duration of the run (s). */
  readonly wallSeconds: number;
}

/** Policy whose bytes define channelFraction = 1. */
export const CHANNEL_REFERENCE_POLICY = 'full';

/**
 * Returns copies of `results` with `channelFraction` = bytesSent / bytesSent of the `full` run on the
 * same trace (and the same sequence, for benchmark folders). Left undefined when there is no such
 * `full` run or it sent 0 bytes.
 */
export function withChannelFractions(results: readonly RunSummary[], reference = CHANNEL_REFERENCE_POLICY): RunSummary[] {
  const ref = new Map<string, number>();
  const key = (r: RunSummary): string => JSON.stringify([r.sequence ?? '', r.trace]);
  for (const r of results) if (r.policy === reference) ref.set(key(r), r.bytesSent);
  return results.map((r) => {
    const b = ref.get(key(r));
    return b !== undefined && b > 0 ? { ...r, channelFraction: r.bytesSent / b } : { ...r, channelFraction: undefined };
  });
}
