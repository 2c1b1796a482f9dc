/** Network traces, the deterministic channel model, built-in presets and the live shaper. */
export * from './trace.js';
export * from './readers.js';
export * from './channel-model.js';
export * from './presets.js';
export * from './shaper.js';
export { mulberry32 } from '../../core/prng.js';
export * from './replay-link.js';
export * from './from-spec.js';
