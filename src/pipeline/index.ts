/** The device pipeline: RxJS composition of tracker, controller, offloading and Katch-Up; replay and live runs. */
export * from './run-options.js';
export * from './run-pipeline.js';
export * from './frame-row.js';
export * from './device-session.js';
export * from './offload-types.js';
export * from './replay-offloader.js';
export * from './live-offloader.js';
export * from './edge-time-profiles.js';
export * from './jpeg-encode.js';
export * from './local-edge.js';
export * from './resolve-channel.js';
export * from './oracle.js';
export * from './evaluate-run.js';
export * from './trace-recorder.js';
export * from './cache-dir.js';
export * from './experiment.js';
