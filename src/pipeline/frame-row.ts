import type { Frame, Track } from '../core/index.js';
import type { ContextFeatures } from '../controller/index.js';

/** One detection result applied to the tracker at this frame (Katch-Up or fallback). */
export interface AppliedOffload {
  /** Frame the detections belong to. */
  readonly frameIndex: number;
  readonly status: 'ok' | 'failed';
  /** Send-to-applied latency, ms on the pipeline clock. */
  readonly latencyMs: number;
  readonly detections: number;
  /** Katch-Up mode requested / applied, e.g. `full` / `off` (fallback). */
  readonly katchup: string;
  readonly applied: string;
  readonly framesRetracked: number;
  /** Error code when `status` is `failed`. */
  readonly code?: string;
}

/** The output of the device pipeline for one input frame: exactly one per input frame. */
export interface FrameRow {
  readonly frameIndex: number;
  readonly ptsMs: number;
  /** Pipeline clock time when the row was produced (virtual ms in replay). */
  readonly clockMs: number;
  /** True when a live source dropped the frame (tracks are the last known ones). */
  readonly dropped: boolean;
  readonly tracks: readonly Track[];
  /** `none`, or `offload:<quality>,<katchup>`. */
  readonly decision: string;
  /** Bytes offloaded at this frame (0 when none). */
  readonly bytes: number;
  readonly applied: readonly AppliedOffload[];
  readonly context: ContextFeatures;
  /** The frame itself, for sinks that draw on it (absent on dropped rows; never serialised). */
  readonly frame?: Frame;
}

/** A frame moving through the pipeline stages (internal). */
export interface FrameWork {
  readonly frame: Frame;
  readonly dropped: boolean;
  tracks: readonly Track[];
  applied: AppliedOffload[];
  context?: ContextFeatures;
  decision: string;
  bytes: number;
  /** Pipeline clock when the frame's decision was taken (the row's clockMs). */
  readonly clockMs: number;
  /** The offload's encode and send, running while the frame is tracked (never rejects). */
  sent?: Promise<void>;
}
