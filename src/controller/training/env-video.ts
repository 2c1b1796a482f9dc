import { loadHumanGroundTruth, loadRunGroundTruth } from '../../pipeline/evaluate-run.js';
import type { OffloadEnv } from './offload-env.js';
import { type OffloadCache, loadOffloadCache } from './offload-cache.js';
import { RecallScorer } from './reward.js';
import { loadMotionCache } from './motion-cache.js';
import { MotionReplayTracker, type SimTracker } from './sim-tracker.js';
import type { TrackerOptions } from '../../tracker/index.js';

/** Options of {@link loadEnvVideo}. */
export interface EnvVideoOptions {
  /** MOT ground truth; else the oracle. */
  readonly gt?: string;
  readonly model?: string;
  readonly maxFrames?: number;
  /** Options of the replayed tracker (default: the tracker's defaults). */
  readonly tracker?: Partial<TrackerOptions>;
  readonly onProgress?: (done: number, total: number, what: string) => void;
}

/** A video ready for simulated episodes: offload cache, ground truth scorer and a tracker. */
export interface LoadedEnvVideo {
  readonly offloads: OffloadCache;
  readonly scorer: RecallScorer;
  readonly tracker: SimTracker;
  /** Which ground truth scores the episodes. */
  readonly groundTruth: 'human' | 'oracle';
  close(): void;
}

/**
 * Loads (computing and caching on first use) everything the simulator needs for one video: the
 * offload cache at every quality, the ground truth (human `gt` or the oracle) as a per-frame recall
 * scorer, and the tracker replayed from the motion cache.
 */
export async function loadEnvVideo(video: string, options: EnvVideoOptions = {}): Promise<LoadedEnvVideo & Parameters<typeof OffloadEnv.create>[1]> {
  const model = options.model ?? 'nanodet';
  const offloads = await loadOffloadCache(video, { model, ...(options.maxFrames !== undefined ? { maxFrames: options.maxFrames } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  const frames = Math.min(offloads.frames, options.maxFrames ?? Number.POSITIVE_INFINITY);
  const gt = options.gt ? loadHumanGroundTruth(options.gt) : await loadRunGroundTruth(video, { model, frames });
  const scorer = new RecallScorer(gt.boxes, frames, gt.classes);
  const motions = await loadMotionCache(video, { ...(options.tracker ? { tracker: options.tracker } : {}), ...(options.maxFrames !== undefined ? { maxFrames: options.maxFrames } : {}), ...(options.onProgress ? { onProgress: (d, n, what) => options.onProgress!(d, n ?? offloads.frames, `${what} (motion)`) } : {}) });
  const tracker = new MotionReplayTracker(motions, options.tracker);
  return { offloads, scorer, tracker, groundTruth: gt.kind, close: () => tracker.close() };
}
