import type { Box } from './box.js';

/** Lifecycle of a track as seen by consumers. */
export type TrackState = 'tracked' | 'lost';

/** One tracked object at one frame. Immutable snapshot: the tracker emits new objects every frame. */
export interface Track {
  /** Identity, unique per tracker instance, stable across frames. */
  readonly id: number;
  /** Box in frame pixels at this frame. */
  readonly box: Box;
  /** 0-based COCO class id of the detection that started the track. */
  readonly classId: number;
  /** Score of the last detection matched to this track, in [0, 1]. */
  readonly score: number;
  /** Tracker confidence in [0, 1] (share of optical-flow points that survived, decayed with age). */
  readonly confidence: number;
  /** Frames since the track was last matched to a detection. */
  readonly age: number;
  /** Index of the frame whose detection last (re)initialised this track. */
  readonly lastDetectedFrame: number;
  /** `lost` when optical flow failed; lost tracks are reported until they expire. */
  readonly state: TrackState;
}
