/** Offloading controller: context features, decision actions, baseline and learned policies, registry. */
export * from './context.js';
export * from './features.js';
export * from './policy.js';
export * from './actions.js';
export * from './spec.js';
export * from './mlp.js';
export * from './policies/never.js';
export * from './policies/periodic.js';
export * from './policies/full.js';
export * from './policies/heuristic.js';
export * from './registry.js';
