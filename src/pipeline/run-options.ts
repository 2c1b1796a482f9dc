import type { TradeOff } from '../controller/features-v2.js';
import { COCO_CLASS_COUNT, ValidationError } from '../core/index.js';
import type { TrackerOptions } from '../tracker/index.js';

/** Options of {@link runPipeline}; every field but `input` has a default. */
export interface RunOptions {
  /** Video file, image folder, or live spec (`lavfi:testsrc`, `loop:file.mp4`, `/dev/video0`, `rtsp://…`). */
  readonly input: string;
  /** Offloading policy spec (`heuristic`, `periodic:10`, `full`, `file:policy.json`, …). Default `learned` (policies/default.json). */
  readonly policy?: string;
  /** Trade-off of a λ-conditioned learned policy (`learned`, `file:` v2): λc mAR per Mbit/s, λe mAR per W. Default: the policy file's. */
  readonly tradeOff?: Partial<TradeOff>;
  /** `local` (in-process edge server on loopback) or a `ws://host:port` URL. Default `local`. */
  readonly edge?: string;
  /** Token for a remote edge (default `$EDGETRACK_TOKEN`). */
  readonly token?: string;
  /** Detector model served by a local edge / asked of a remote one. Default `nanodet`. */
  readonly model?: string;
  /** Channel: preset name or trace file. Default `wifi-good` for replay; none (unshaped) for live. */
  readonly trace?: string;
  /** Start offset into the trace, ms. Default 0. */
  readonly traceOffsetMs?: number;
  /** `replay` (deterministic virtual time) or `live` (wall clock). Default: `live` for live sources, else `replay`. */
  readonly clock?: 'replay' | 'live';
  /** Device profile for energy accounting. Default `jetson-nano`. */
  readonly device?: string;
  /** MOT gt.txt (human ground truth); without it the oracle is used. */
  readonly gt?: string;
  /**
   * COCO classes to track (`--classes`, 0-based ids): the device drops detections of other classes and
   * a local edge detects only these; only these are scored. Default: every class.
   */
  readonly classes?: readonly number[];
  /**
   * Class of the gt.txt boxes (`--gt-class`, a COCO name or id). Default: `objectClass` of a
   * seqinfo.ini beside gt.txt, else MOT class ids in column 8, else person (docs/metrics.md).
   */
  readonly gtClass?: string;
  /** Output folder (created). Default `out/run`. */
  readonly outDir?: string;
  /** Also write `annotated.mp4`. Default false. */
  readonly annotate?: boolean;
  /** Live runs: write the channel the client measured as a Pensieve trace to this file. */
  readonly recordTrace?: string;
  /** Process at most this many frames (live sources: stop after them). */
  readonly maxFrames?: number;
  /** Live sources: stop after this many seconds. */
  readonly durationSeconds?: number;
  /**
   * Stops the run early (e.g. Ctrl-C): no new frame is taken once it aborts; the frames already in
   * the pipeline finish, the outputs and the report are written for the frames processed, and
   * `report.interrupted` is true.
   */
  readonly signal?: AbortSignal;
  /** Replay: profiled edge time per request (ms); default from the model's profile. */
  readonly edgeMs?: number;
  /** Skip metrics (no ground truth, no oracle). Default false. */
  readonly noEval?: boolean;
  /** Tracker options. */
  readonly tracker?: Partial<TrackerOptions>;
  /** Progress: called after every output row. */
  readonly onProgress?: (rows: number, total: number | null) => void;
  /** Progress of the oracle computation (first run on an input without --gt). */
  readonly onOracleProgress?: (frames: number, total: number | null) => void;
  /** Log lines (default: none). */
  readonly log?: (line: string) => void;
}

/** Defaults of {@link RunOptions}. */
export const RUN_DEFAULTS = Object.freeze({
  policy: 'learned',
  edge: 'local',
  model: 'nanodet',
  device: 'jetson-nano',
  outDir: 'out/run',
  annotate: false,
  replayTrace: 'wifi-good',
  traceOffsetMs: 0,
  noEval: false,
});

/** Checks the combinations that cannot work, with messages naming the flags. */
export function checkRunOptions(o: RunOptions): void {
  if (!o.input) throw new ValidationError('input: expected a video file, image folder or live spec, got nothing');
  if (o.clock !== undefined && o.clock !== 'replay' && o.clock !== 'live') {
    throw new ValidationError(`--clock: expected "replay" or "live", got ${JSON.stringify(o.clock)}`);
  }
  if (o.edge !== undefined && o.edge !== 'local' && !/^wss?:\/\//.test(o.edge)) {
    throw new ValidationError(`--edge: expected "local" or a ws://host:port URL, got ${JSON.stringify(o.edge)}`);
  }
  if (o.classes !== undefined && (!Array.isArray(o.classes) || o.classes.length === 0 || o.classes.some((c) => !(Number.isInteger(c) && c >= 0 && c < COCO_CLASS_COUNT)))) {
    throw new ValidationError(`--classes: expected a non-empty list of COCO class ids 0–${COCO_CLASS_COUNT - 1}, got ${JSON.stringify(o.classes)}`);
  }
  if (o.maxFrames !== undefined && !(Number.isInteger(o.maxFrames) && o.maxFrames > 0)) {
    throw new ValidationError(`--max-frames: expected an integer ≥ 1, got ${o.maxFrames}`);
  }
}
