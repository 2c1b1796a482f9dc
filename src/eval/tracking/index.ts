/** Tracking metrics (CLEAR-MOT, IDF1, HOTA) as pure functions, TrackEval conventions. */
export * from './assignment.js';
export * from './sequence.js';
export * from './clear.js';
export * from './identity.js';
export * from './hota.js';
export * from './evaluate-tracking.js';
