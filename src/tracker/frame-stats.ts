import type { Track } from '../core/index.js';
import type { TrackerFrameStats } from './types.js';

/** The figures of one tracker update from its tracks (see {@link TrackerFrameStats}). */
export function trackerFrameStats(tracks: readonly Track[], meanMotionPx: number, ms: number): TrackerFrameStats {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let lost = 0;
  for (const t of tracks) {
    sum += t.confidence;
    if (t.confidence < min) min = t.confidence;
    if (t.state === 'lost') lost++;
  }
  return Object.freeze({
    trackCount: tracks.length,
    lostCount: lost,
    meanConfidence: tracks.length ? sum / tracks.length : 0,
    minConfidence: tracks.length ? min : 0,
    meanMotionPx,
    ms,
  });
}
