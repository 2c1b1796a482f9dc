/** Evaluation: detection/tracking metrics, device energy model, run summaries and reports. */
export * from './types.js';
export * from './thresholds.js';
export * from './match.js';
export * from './metrics.js';
export * from './frame-recall.js';
export * from './ground-truth.js';
export * from './percentile.js';
export * from './device-profiles.js';
export * from './energy.js';
export * from './run-summary.js';
export * from './report/markdown.js';
export * from './report/pareto.js';
export * from './report/fonts.js';
export * from './tracking/index.js';
export * from './seqinfo.js';
export * from './gt-class.js';
export * from './score-tracks.js';
