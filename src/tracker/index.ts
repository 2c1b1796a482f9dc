/** On-device multi-object tracker (Median Flow on OpenCV.js) with frame buffer and Katch-Up. */
export { MultiTracker } from './multi-tracker.js';
export { type TrackerOptions, DEFAULT_TRACKER_OPTIONS, resolveTrackerOptions } from './options.js';
export type { CatchupReport, KatchupCounters, TrackerFrameStats } from './types.js';
export type { FrameBufferStats } from './frame-buffer.js';
export { loadOpenCv, wasmHeapBytes, type OpenCv, type CvMat } from './opencv.js';
export { selectRetrackFrames } from './katchup.js';
