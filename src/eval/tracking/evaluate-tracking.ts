import { type MotRow, requireInteger } from '../../core/index.js';
import { type ClearMetrics, evaluateClear } from './clear.js';
import { type HotaMetrics, evaluateHota } from './hota.js';
import { type IdentityMetrics, evaluateIdentity } from './identity.js';
import { type IdentifiedBox, type IdentifiedFrames, buildTrackingSequence } from './sequence.js';

/** Every tracking metric of one sequence (see docs/metrics.md). */
export interface TrackingMetrics {
  readonly clear: ClearMetrics;
  readonly identity: IdentityMetrics;
  readonly hota: HotaMetrics;
  /** Evaluated frames. */
  readonly frames: number;
  readonly gtDets: number;
  readonly trackerDets: number;
  readonly gtIds: number;
  readonly trackerIds: number;
}

/** Options of {@link evaluateTracking}. */
export interface TrackingOptions {
  /**
   * Frames to evaluate: a count N (0-based frames 0..N−1) or explicit 0-based indices. Boxes on other
   * frames are ignored. Default: every frame present in either input.
   */
  readonly frames?: number | Iterable<number>;
}

/**
 * CLEAR-MOT, identity (IDF1) and HOTA metrics of a tracker output against ground truth, both with
 * identities, keyed by 0-based frame. Matches TrackEval (commit 12c8791) with box IoU similarity and no
 * distractor or class filtering. Pure: same inputs, same numbers.
 */
export function evaluateTracking(groundTruth: IdentifiedFrames, tracks: IdentifiedFrames, options: TrackingOptions = {}): TrackingMetrics {
  let frames: Iterable<number> | undefined;
  if (typeof options.frames === 'number') {
    requireInteger(options.frames, 'frames', 0);
    frames = Array.from({ length: options.frames }, (_, i) => i);
  } else if (options.frames) {
    frames = [...options.frames].map((f, i) => requireInteger(f, `frames[${i}]`, 0));
  }
  const seq = buildTrackingSequence(groundTruth, tracks, frames);
  return Object.freeze({
    clear: evaluateClear(seq),
    identity: evaluateIdentity(seq),
    hota: evaluateHota(seq),
    frames: seq.frames.length,
    gtDets: seq.gtDets,
    trackerDets: seq.trackerDets,
    gtIds: seq.gtIdCount,
    trackerIds: seq.trackerIdCount,
  });
}

/**
 * MOT rows (1-based frames) to identified boxes keyed by 0-based frame. `keep` filters rows (e.g. gt
 * rows with column 7 ≠ 0, or one class).
 */
export function motRowsToIdentified(rows: readonly MotRow[], keep: (row: MotRow) => boolean = () => true): Map<number, IdentifiedBox[]> {
  const out = new Map<number, IdentifiedBox[]>();
  for (const r of rows) {
    if (!keep(r)) continue;
    const list = out.get(r.frame - 1) ?? [];
    list.push(Object.freeze({ box: r.box, id: r.id }));
    out.set(r.frame - 1, list);
  }
  return out;
}
