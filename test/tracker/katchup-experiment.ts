/**
 * The Katch-Up experiment of the slow suite (also runnable by hand): ground-truth boxes are fed to the
 * tracker as detections for every N-th frame, delivered D frames late, and the per-frame output is
 * scored with COCO mAR against the ground truth of every frame. "hold" outputs the last delivered
 * detections unchanged. All configurations share one decoding pass (one tracker per configuration).
 */
import { type Frame, type KatchupMode, type Track, formatKatchupMode, makeDetection } from '../../src/core/index.js';
import { evaluateDetections, tracksToPredictions, type GroundTruth, type ScoredBox } from '../../src/eval/index.js';
import { MultiTracker, type TrackerOptions } from '../../src/tracker/index.js';

/** One configuration: detection period N (frames), delay D (frames), Katch-Up mode. */
export interface KatchupConfig {
  readonly period: number;
  readonly delay: number;
  readonly mode: KatchupMode;
}

/** Result row of one configuration. */
export interface KatchupRow extends KatchupConfig {
  readonly mar: number;
  /** mAR of holding the last delivered detections for the same N and D. */
  readonly holdMar: number;
  /** Precision at IoU 0.5 of the tracked output / of hold. */
  readonly precision: number;
  readonly holdPrecision: number;
  readonly corrections: number;
  readonly fallbacks: number;
  /** Frames re-tracked per correction (mean). */
  readonly retrackedPerCorrection: number;
  /** Katch-Up wall time per correction (mean ms). */
  readonly msPerCorrection: number;
  /** Tracker update wall time per frame (median ms). */
  readonly medianUpdateMs: number;
}

interface Lane {
  readonly cfg: KatchupConfig;
  readonly tracker: MultiTracker;
  readonly out: Map<number, readonly Track[]>;
  readonly updateMs: number[];
}

/** Runs every configuration over `frames` (frame n ↔ gt frame n, 0-based) and scores it. */
export async function runKatchupExperiment(
  frames: AsyncIterable<Frame> | Iterable<Frame>,
  gt: GroundTruth,
  configs: readonly KatchupConfig[],
  trackerOptions: Partial<TrackerOptions> = {},
  includeLost = true,
): Promise<KatchupRow[]> {
  const lanes: Lane[] = [];
  for (const cfg of configs) lanes.push({ cfg, tracker: await MultiTracker.create(trackerOptions), out: new Map(), updateMs: [] });
  const holds = new Map<string, Map<number, ScoredBox[]>>();
  const dets = (k: number) => (gt.get(k) ?? []).map((g) => makeDetection(g.box, 1, g.classId));
  let count = 0;
  try {
    for await (const frame of frames) {
      const t = frame.index;
      count = t + 1;
      for (const lane of lanes) {
        const { period: N, delay: D, mode } = lane.cfg;
        lane.tracker.update(frame);
        lane.updateMs.push(lane.tracker.stats.ms);
        const k = t - D;
        let tracks = lane.tracker.tracks();
        if (k >= 0 && k % N === 0) tracks = lane.tracker.correct(k, dets(k), mode).tracks;
        lane.out.set(t, tracks);
      }
      for (const { period: N, delay: D } of configs) {
        const key = `${N}/${D}`;
        const hold = holds.get(key) ?? new Map<number, ScoredBox[]>();
        holds.set(key, hold);
        const k = t - D;
        const last = k < 0 ? -1 : k - (k % N);
        hold.set(t, last < 0 ? [] : (gt.get(last) ?? []).map((g) => ({ box: g.box, score: 1, classId: g.classId })));
      }
    }
    const classes = [...new Set([...gt.values()].flatMap((l) => l.map((g) => g.classId)))].sort((a, b) => a - b);
    const opts = { frames: count, classes: classes.length ? classes : [0] };
    return lanes.map(({ cfg, tracker, out, updateMs }) => {
      const c = tracker.katchupCounters;
      const sorted = [...updateMs].sort((a, b) => a - b);
      const tracked = evaluateDetections(gt, tracksToPredictions(out, { includeLost }), opts);
      const hold = evaluateDetections(gt, holds.get(`${cfg.period}/${cfg.delay}`)!, opts);
      return {
        ...cfg,
        mar: tracked.mar,
        holdMar: hold.mar,
        precision: tracked.precision,
        holdPrecision: hold.precision,
        corrections: c.corrections,
        fallbacks: c.fallbacks,
        retrackedPerCorrection: c.corrections ? c.framesRetracked / c.corrections : 0,
        msPerCorrection: c.corrections ? c.ms / c.corrections : 0,
        medianUpdateMs: sorted[sorted.length >> 1] ?? 0,
      };
    });
  } finally {
    for (const l of lanes) l.tracker.close();
  }
}

/** The acceptance grid: N ∈ {5, 10, 20}, D ∈ {0, 5, 15}; D = 0 runs `full` only (all modes coincide). */
export function acceptanceGrid(): KatchupConfig[] {
  const out: KatchupConfig[] = [];
  for (const period of [5, 10, 20]) {
    for (const delay of [0, 5, 15]) {
      const modes: KatchupMode[] = delay === 0 ? [{ kind: 'full' }] : [{ kind: 'off' }, { kind: 'stride', stride: 3 }, { kind: 'full' }];
      for (const mode of modes) out.push({ period, delay, mode });
    }
  }
  return out;
}

/** Markdown table of the rows. */
export function formatKatchupTable(rows: readonly KatchupRow[]): string {
  const f = (x: number, d = 3) => x.toFixed(d);
  const lines = [
    '| N | D | Katch-Up | mAR tracking | mAR hold | Δ vs hold | frames re-tracked / correction | ms / correction | update ms (median) | fallbacks |',
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(`| ${r.period} | ${r.delay} | ${formatKatchupMode(r.mode)} | ${f(r.mar)} | ${f(r.holdMar)} | ${r.mar >= r.holdMar ? '+' : ''}${f(r.mar - r.holdMar)} | ${f(r.retrackedPerCorrection, 1)} | ${f(r.msPerCorrection, 1)} | ${f(r.medianUpdateMs, 2)} | ${r.fallbacks} |`);
  }
  return lines.join('\n');
}
