/**
 * On-device multi-object tracker: dense-flow motion estimation per frame pair (OpenCV.js), frame
 * buffer, and pure track logic ({@link TrackerCore}) with Katch-Up.
 */
export { MultiTracker, type MotionListener } from './multi-tracker.js';
export { TrackerCore, type MotionSource, type CoreStepResult, type CoreCorrection } from './tracker-core.js';
export { type FrameMotion, encodeFrameMotion, decodeFrameMotion, FLOW_UNITS } from './frame-motion.js';
export { estimateMotion, frameFeatures, type FrameFeatures, type FlowParameters } from './motion-estimator.js';
export { moveBox, type BoxStep, type BoxMotionParams } from './box-motion.js';
export { type TrackerOptions, DEFAULT_TRACKER_OPTIONS, resolveTrackerOptions } from './options.js';
export type { CatchupReport, KatchupCounters, TrackerFrameStats } from './types.js';
export type { FrameBufferStats } from './frame-buffer.js';
export { GrayConverter, processingGeometry, type ProcessingGeometry } from './gray.js';
export { loadOpenCv, wasmHeapBytes, type OpenCv, type CvMat } from './opencv.js';
export { selectRetrackFrames } from './katchup.js';
export { trackerFrameStats } from './frame-stats.js';
