import type { KatchupMode, Track } from '../core/index.js';

/** Figures of the last `update()`. */
export interface TrackerFrameStats {
  /** Tracks reported (tracked + lost). */
  readonly trackCount: number;
  /** Of which in state `lost`. */
  readonly lostCount: number;
  /** Mean / minimum of the reported tracks' confidence (0 when there are no tracks). */
  readonly meanConfidence: number;
  readonly minConfidence: number;
  /** Mean over successfully tracked tracks of the median-flow displacement, in frame px per frame. */
  readonly meanMotionPx: number;
  /** Wall time of the update in milliseconds. */
  readonly ms: number;
}

/** What one `correct()` did and cost. */
export interface CatchupReport {
  readonly requested: KatchupMode;
  /** The mode actually used (`off` when the detection frame had left the buffer). */
  readonly applied: KatchupMode;
  /** True when `applied` differs from `requested` because frame k was no longer buffered. */
  readonly fellBack: boolean;
  /** Frame pairs re-tracked with optical flow (0 for `off` and for k == t). */
  readonly framesRetracked: number;
  /** Detections matched to a track as it was at frame k (the others started tracks or were dropped). */
  readonly matched: number;
  /**
   * Mean IoU, at frame k, of the matched detections with their tracks (0 when none matched): how close
   * the tracker had kept its boxes to what the detector then saw.
   */
  readonly meanMatchIou: number;
  /** Wall time in milliseconds. */
  readonly ms: number;
  /** Tracks at the current frame after the correction. */
  readonly tracks: readonly Track[];
}

/** Cumulative Katch-Up counters of one tracker. */
export interface KatchupCounters {
  readonly corrections: number;
  /** Corrections that fell back to `off` because frame k had left the buffer. */
  readonly fallbacks: number;
  readonly framesRetracked: number;
  readonly ms: number;
}
