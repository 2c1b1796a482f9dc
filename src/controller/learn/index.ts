/**
 * The learning agent of the offloading controller: a typed-array MLP with Adam, a replay buffer,
 * double DQN with action masking, rollouts on worker threads and the training loop. Generic over the
 * {@link Env} interface (no video or tracker knowledge); `toy-env.ts` is a tiny example env.
 */
export * from './env.js';
export * from './mlp-net.js';
export * from './loss.js';
export * from './adam.js';
export * from './replay-buffer.js';
export * from './relabel.js';
export * from './heads.js';
export * from './action-selection.js';
export * from './dqn.js';
export * from './episode.js';
export * from './seeds.js';
export * from './rollout-pool.js';
export * from './train-loop.js';
export * from './policy-export.js';
