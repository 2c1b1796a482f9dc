import { ValidationError, describeValue } from '../../core/index.js';
import { DEFAULT_REWARD_WEIGHTS, type RewardWeights } from './reward.js';

/**
 * One training or evaluation episode, JSON-safe (it crosses worker threads): a video, a channel
 * (trace and start offset), a device profile and the trade-off weights.
 */
export interface EpisodeSpec extends RewardWeights {
  /** Video file. */
  readonly video: string;
  /** MOT ground truth; when absent the oracle (the edge model on every frame) is the ground truth. */
  readonly gt?: string;
  /** Edge model (default `nanodet`). */
  readonly model?: string;
  /** Channel: a preset name or a trace file. */
  readonly trace: string;
  /** Model time 0 = trace time `traceOffsetMs` (default 0). */
  readonly traceOffsetMs?: number;
  /** Device profile (default `jetson-nano`). */
  readonly device?: string;
  /** Profiled edge time per request override (ms). */
  readonly edgeMs?: number;
  /** Frames 0..maxFrames−1 (default: the whole video). */
  readonly maxFrames?: number;
}

/** Fills defaults and checks an episode spec, naming the bad field. */
export function resolveEpisodeSpec(spec: Partial<EpisodeSpec> & { video: string; trace: string }): Required<Omit<EpisodeSpec, 'gt' | 'edgeMs' | 'maxFrames'>> & EpisodeSpec {
  const s = { model: 'nanodet', traceOffsetMs: 0, device: 'jetson-nano', ...DEFAULT_REWARD_WEIGHTS, ...spec };
  for (const k of ['lambdaChannel', 'lambdaEnergy', 'traceOffsetMs'] as const) {
    if (!(Number.isFinite(s[k]) && s[k] >= 0)) throw new ValidationError(`episode.${k}: expected a number ≥ 0, got ${describeValue(s[k])}`, { field: k });
  }
  if (s.maxFrames !== undefined && !(Number.isInteger(s.maxFrames) && s.maxFrames > 0)) {
    throw new ValidationError(`episode.maxFrames: expected an integer ≥ 1, got ${describeValue(s.maxFrames)}`, { field: 'maxFrames' });
  }
  return s;
}
