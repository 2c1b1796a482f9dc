/** Messages between RolloutPool (main thread) and its rollout workers. */
import type { EpisodeSpec } from './env.js';
import type { RewardHeads } from './heads.js';

/** Set once per worker at start. */
export interface RolloutWorkerData {
  /** file: URL of the env-factory module. */
  readonly envModuleUrl: string;
  /** Step limit per episode. */
  readonly maxSteps: number;
}

/** Main → worker. */
export type ToRolloutWorker =
  | { readonly type: 'policy'; readonly sizes: readonly number[]; readonly params: Float32Array; readonly heads?: RewardHeads }
  | { readonly type: 'episode'; readonly job: number; readonly spec: EpisodeSpec; readonly seed: number; readonly epsilon: number }
  | { readonly type: 'probe'; readonly job: number; readonly spec: EpisodeSpec; readonly seed: number }
  | { readonly type: 'close' };

/** An error crossing the thread boundary. */
export interface RolloutWorkerError {
  readonly name: string;
  readonly message: string;
  readonly info?: Record<string, unknown>;
}

/** Worker → main. `result` carries an EpisodeTransitions whose buffers are transferred. */
export type FromRolloutWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'start-failed'; readonly error: RolloutWorkerError }
  | {
    readonly type: 'result'; readonly job: number; readonly steps: number; readonly totalReward: number; readonly truncated: boolean;
    readonly states: Float32Array; readonly masks: Uint8Array; readonly actions: Int32Array; readonly rewards: Float64Array; readonly dones: Uint8Array;
    readonly terms: Float64Array;
  }
  | { readonly type: 'failed'; readonly job: number; readonly error: RolloutWorkerError }
  | { readonly type: 'probed'; readonly job: number; readonly stateSize: number; readonly actionCount: number }
  | { readonly type: 'closed' };
