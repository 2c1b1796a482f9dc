import { type Decision, ValidationError, requireInRange } from '../../core/index.js';
import { NONE, offload } from '../actions.js';
import type { ContextFeatures } from '../context.js';
import { type Policy, canOffload } from '../policy.js';

/** Thresholds of {@link HeuristicPolicy}; every one has a default (HEURISTIC_DEFAULTS) and a spec key of the same name (lower-cased). */
export interface HeuristicOptions {
  /** Refresh when the applied detection is this old (frames), whatever else. */
  readonly maxAge: number;
  /** Other triggers wait at least this many frames since the last offload. */
  readonly minGap: number;
  /** Offload when the mean tracker confidence drops below this. */
  readonly minMeanConf: number;
  /** … or any single track's confidence drops below this. */
  readonly minTrackConf: number;
  /** Median motion (px/frame) considered fast… */
  readonly fastMotion: number;
  /** …which triggers once the detection is at least this old (frames). */
  readonly motionAge: number;
  /** With no tracks, look again for new objects after this many frames. */
  readonly emptyAge: number;
  /** Uplink (Mbit/s) at or above which quality is `high`. */
  readonly highMbps: number;
  /** Uplink (Mbit/s) at or above which quality is `medium` (below: `low`). */
  readonly mediumMbps: number;
  /** Detection latency (frames) above which Katch-Up uses stride:3 instead of full. */
  readonly strideAbove: number;
  /** Cap on requests in flight. */
  readonly maxInFlight: number;
}

/** Defaults of {@link HeuristicOptions} (frames, px/frame, Mbit/s; tuned for 7–30 fps pedestrian video). */
export const HEURISTIC_DEFAULTS: Readonly<HeuristicOptions> = Object.freeze({
  maxAge: 30,
  minGap: 3,
  minMeanConf: 0.6,
  minTrackConf: 0.3,
  fastMotion: 8,
  motionAge: 5,
  emptyAge: 10,
  highMbps: 8,
  mediumMbps: 3,
  strideAbove: 8,
  maxInFlight: 1,
});

const RANGES: Record<keyof HeuristicOptions, [number, number, boolean]> = {
  maxAge: [1, 100_000, true],
  minGap: [0, 100_000, true],
  minMeanConf: [0, 1, false],
  minTrackConf: [0, 1, false],
  fastMotion: [0, 10_000, false],
  motionAge: [0, 100_000, true],
  emptyAge: [1, 100_000, true],
  highMbps: [0, 100_000, false],
  mediumMbps: [0, 100_000, false],
  strideAbove: [0, 100_000, false],
  maxInFlight: [1, 64, true],
};

/** Why the heuristic decided what it did at the last frame (for logs and tests). */
export type HeuristicReason =
  | 'busy' | 'initial' | 'stale' | 'low-confidence' | 'lost' | 'track-dropped' | 'fast-motion' | 'empty' | 'quiet';

/**
 * `heuristic`: hand-written thresholds on tracker confidence, motion, detection age and track-count
 * changes since the last applied detection (docs/controller.md has the decision table). A detection
 * counts as applied at a frame when detectionAgeFrames does not grow by exactly one from the previous
 * frame; the track and lost counts at that frame are the baseline for the `lost` and `track-dropped` triggers. Quality follows the uplink estimate. Katch-Up:
 * full for the initial detection; otherwise off when the expected latency (last detection latency, or
 * RTT + edge queue before the first answer) is under one frame or nothing moves (motion < 1 px/frame),
 * stride:3 when it exceeds `strideAbove` frames, full otherwise.
 */
export class HeuristicPolicy implements Policy {
  readonly name: string;
  readonly options: Readonly<HeuristicOptions>;
  /** Track and lost counts right after the last applied detection (the tracker's baseline). */
  #tracksAtDetection = 0;
  #lostAtDetection = 0;
  #prevAge = -1;
  #lastReason: HeuristicReason = 'quiet';

  constructor(options: Partial<HeuristicOptions> = {}, name = 'heuristic') {
    const o = { ...HEURISTIC_DEFAULTS, ...options };
    for (const [k, [min, max, integer]] of Object.entries(RANGES) as [keyof HeuristicOptions, [number, number, boolean]][]) {
      requireInRange(o[k], `heuristic.${k}`, min, max);
      if (integer && !Number.isInteger(o[k])) throw new ValidationError(`heuristic.${k}: expected an integer, got ${o[k]}`);
    }
    if (o.mediumMbps > o.highMbps) {
      throw new ValidationError(`heuristic.mediumMbps: expected ≤ highMbps (${o.highMbps}), got ${o.mediumMbps}`);
    }
    this.options = Object.freeze(o);
    this.name = name;
  }

  /** Reason for the last decision. */
  get lastReason(): HeuristicReason {
    return this.#lastReason;
  }

  decide(ctx: ContextFeatures): Decision {
    // A detection was applied at this frame when the age did not simply grow by one: re-baseline.
    if (this.#prevAge < 0 || ctx.detectionAgeFrames !== this.#prevAge + 1) {
      this.#tracksAtDetection = ctx.trackCount;
      this.#lostAtDetection = ctx.lostCount;
    }
    this.#prevAge = ctx.detectionAgeFrames;
    const reason = this.#trigger(ctx);
    this.#lastReason = reason;
    if (reason === 'busy' || reason === 'quiet') return NONE;
    return offload(this.#quality(ctx), reason === 'initial' ? 'full' : this.#katchup(ctx));
  }

  #trigger(ctx: ContextFeatures): HeuristicReason {
    const o = this.options;
    if (!canOffload(ctx, o.maxInFlight)) return 'busy';
    const age = ctx.detectionAgeFrames;
    if (age > ctx.frameIndex) return 'initial';
    if (age >= o.maxAge) return 'stale';
    if (ctx.framesSinceLastOffload < o.minGap) return 'quiet';
    if (ctx.trackCount > 0 && (ctx.meanConfidence < o.minMeanConf || ctx.minConfidence < o.minTrackConf)) return 'low-confidence';
    if (ctx.lostCount > this.#lostAtDetection) return 'lost';
    if (ctx.trackCount < this.#tracksAtDetection) return 'track-dropped';
    if (ctx.motionPx >= o.fastMotion && age >= o.motionAge) return 'fast-motion';
    if (ctx.trackCount === 0 && age >= o.emptyAge) return 'empty';
    return 'quiet';
  }

  #quality(ctx: ContextFeatures): string {
    if (ctx.uplinkMbps >= this.options.highMbps) return 'high';
    return ctx.uplinkMbps >= this.options.mediumMbps ? 'medium' : 'low';
  }

  #katchup(ctx: ContextFeatures): string {
    const latencyMs = ctx.lastDetectionLatencyMs > 0 ? ctx.lastDetectionLatencyMs : ctx.rttMs + ctx.edgeQueueMs;
    const latencyFrames = (latencyMs * ctx.fps) / 1000;
    if (latencyFrames < 1 || ctx.motionPx < 1) return 'off';
    return latencyFrames > this.options.strideAbove ? 'stride:3' : 'full';
  }

  reset(): void {
    this.#tracksAtDetection = 0;
    this.#lostAtDetection = 0;
    this.#prevAge = -1;
    this.#lastReason = 'quiet';
  }
}

/** Spec keys (lower-case) → option names, for `heuristic:key=value,…`. */
export const HEURISTIC_SPEC_KEYS: Readonly<Record<string, keyof HeuristicOptions>> = Object.freeze({
  ...Object.fromEntries((Object.keys(HEURISTIC_DEFAULTS) as (keyof HeuristicOptions)[]).filter((k) => k !== 'maxInFlight').map((k) => [k.toLowerCase(), k])),
  inflight: 'maxInFlight',
});
