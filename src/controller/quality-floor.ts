/**
 * The quality floor (docs/controller.md, "Quality floor"): the lowest offload quality a policy that
 * honours it may request. An answer that could start no track — none of its detections scored at
 * least {@link QUALITY_FLOOR_MIN_SCORE}, the tracker's default `minNewTrackScore` — while no track
 * is being tracked says that the detector got too few pixels to be sure of anything: the floor then
 * rises to one level above the quality of that answer, up to {@link QUALITY_FLOOR_CAP}, and stays
 * there for the rest of the video. A detector that is sure of what it sees never raises it, so it
 * costs nothing on content where the lowest quality works.
 *
 * The floor is a fact of the run (`ContextFeatures.qualityFloor`, kept by the device session from
 * the answers it applies); learned policies trained with it (`train --quality-floor`) mask the
 * offloads below it, in training and at run time alike. Fixed policies ignore it.
 */
import { type Decision, QUALITY_LEVELS, qualityLevel } from '../core/index.js';

/** Detections scored below this cannot start a track (the tracker's default `minNewTrackScore`). */
export const QUALITY_FLOOR_MIN_SCORE = 0.5;

/** Index of a quality level in QUALITY_LEVELS (by name; an unknown name throws, listing the known ones). */
export function qualityIndex(name: string): number {
  return QUALITY_LEVELS.indexOf(qualityLevel(name));
}

/** The highest level the floor rises to: index of `medium` in QUALITY_LEVELS. */
export const QUALITY_FLOOR_CAP = qualityIndex('medium');

/**
 * The floor after an answer: `floor` raised to one level above `answeredLevel` (capped) when no
 * detection scored ≥ {@link QUALITY_FLOOR_MIN_SCORE} and `trackedAfter` (tracks in state `tracked`
 * after the answer was applied) is 0; otherwise unchanged. The floor never falls.
 */
export function nextQualityFloor(floor: number, answeredLevel: number, detections: readonly { readonly score: number }[], trackedAfter: number): number {
  if (trackedAfter > 0 || detections.some((d) => d.score >= QUALITY_FLOOR_MIN_SCORE)) return floor;
  return Math.max(floor, Math.min(QUALITY_FLOOR_CAP, answeredLevel + 1));
}

/** Per action: its quality level (QUALITY_LEVELS index), −1 for `none` (for masking a fixed action table). */
export function actionQualityLevels(actions: readonly Decision[]): Int8Array {
  return Int8Array.from(actions, (d) => (d.kind === 'none' ? -1 : qualityIndex(d.quality.name)));
}

/**
 * True when an action of quality level `level` (−1 = `none`) may be chosen: `none` always; an offload
 * when one may be sent (`free`: the in-flight cap is not reached) at `floor` or above (0: no floor).
 * The one mask of the learned policy and of its training environment.
 */
export function actionAllowed(level: number, free: boolean, floor: number): boolean {
  return level < 0 || (free && level >= floor);
}

/** True when `d` is allowed under `floor`: `none`, or an offload at the floor's quality or above. */
export function allowedByFloor(d: Decision, floor: number): boolean {
  return actionAllowed(d.kind === 'none' ? -1 : qualityIndex(d.quality.name), true, floor);
}

/** `d` with its quality raised to the floor (unchanged when allowed). */
export function raiseToFloor(d: Decision, floor: number): Decision {
  if (d.kind === 'none' || allowedByFloor(d, floor)) return d;
  return Object.freeze({ ...d, quality: QUALITY_LEVELS[floor] });
}
