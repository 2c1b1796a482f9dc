/**
 * The environment contract of the learning agent. Everything in `src/controller/learn` is generic over
 * it: the agent knows state vectors, action masks and rewards, nothing about video or trackers.
 */
import { ValidationError, describeValue } from '../../core/index.js';

/** One step's view of the environment. */
export interface EnvObservation {
  /** State vector, `stateSize` values (the agent copies it; the env may reuse the array). */
  readonly state: Float32Array;
  /** One byte per action, 1 = allowed; at least one action is allowed. */
  readonly mask: Uint8Array;
}

/** What `step` returns: the next observation, the reward of the step taken and whether the episode ended. */
export interface EnvStep extends EnvObservation {
  readonly reward: number;
  /**
   * The reward's parts, for hindsight relabelling (relabel.ts): `reward = terms[0] − Σ_j w_j · terms[j+1]`
   * where the w_j are trade-off weights the state carries. Optional; every step of an env gives them or
   * none does.
   */
  readonly terms?: ArrayLike<number>;
  /** True at the last step of the episode: its next state is not bootstrapped from. */
  readonly done: boolean;
}

/** An episodic environment with a fixed state size and a fixed action table. */
export interface Env {
  readonly stateSize: number;
  readonly actionCount: number;
  /** Starts the episode; called once per Env instance by the rollout code. */
  reset(): EnvObservation;
  /** Applies an allowed action. */
  step(action: number): EnvStep;
  /** Releases resources (optional, idempotent). */
  close?(): void;
}

/** Serialisable description of one episode (JSON-safe), turned into an Env by a factory module. */
export type EpisodeSpec = Readonly<Record<string, unknown>>;

/**
 * What an env-factory module exports (loaded by absolute path or file URL, also inside worker threads):
 * `createEnv(spec, seed)` builds the environment of one episode. All of the episode's randomness must
 * come from `seed` (a 32-bit unsigned integer derived from the run seed and the episode index), so the
 * same spec and seed give the same episode on any thread. A factory may be async.
 */
export interface EnvModule {
  createEnv(spec: EpisodeSpec, seed: number): Env | Promise<Env>;
}

/** Checks that a loaded module is an EnvModule; `source` names it in the error. */
export function asEnvModule(mod: unknown, source: string): EnvModule {
  const f = (mod as { createEnv?: unknown } | null)?.createEnv;
  if (typeof f !== 'function') {
    throw new ValidationError(`env module ${source}: expected an exported function createEnv(spec, seed), got ${describeValue(f)}`, { source });
  }
  return mod as EnvModule;
}

/** Checks one observation against the env's sizes (shapes, finite values, at least one allowed action). */
export function checkObservation(o: EnvObservation, stateSize: number, actionCount: number, where: string): void {
  if (!(o?.state instanceof Float32Array) || o.state.length !== stateSize) {
    throw new ValidationError(`${where}.state: expected Float32Array(${stateSize}), got ${describeValue(o?.state)}`, { where });
  }
  if (!(o.mask instanceof Uint8Array) || o.mask.length !== actionCount) {
    throw new ValidationError(`${where}.mask: expected Uint8Array(${actionCount}), got ${describeValue(o.mask)}`, { where });
  }
  let allowed = 0;
  for (let a = 0; a < actionCount; a++) allowed += o.mask[a] ? 1 : 0;
  if (allowed === 0) throw new ValidationError(`${where}.mask: expected at least one allowed action, got none`, { where });
  for (let i = 0; i < stateSize; i++) {
    if (!Number.isFinite(o.state[i])) throw new ValidationError(`${where}.state[${i}]: expected a finite number, got ${describeValue(o.state[i])}`, { where });
  }
}
