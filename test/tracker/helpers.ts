/** Shared helpers of the tracker tests. */
import { type Detection, type Track, iou, makeDetection } from '../../src/core/index.js';
import type { TruthObject } from '../../src/video/synthetic/scene.js';

/** Ground truth as perfect detections (score 1). */
export function truthDetections(truth: readonly TruthObject[]): Detection[] {
  return truth.map((t) => makeDetection(t.box, 1, t.classId));
}

/** IoU of the track with id `id` against `truth` (0 when the track is missing). */
export function trackIou(tracks: readonly Track[], id: number, truth: TruthObject): number {
  const t = tracks.find((x) => x.id === id);
  return t ? iou(t.box, truth.box) : 0;
}

/** Mean of numbers (NaN for none). */
export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
