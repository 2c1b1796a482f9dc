/**
 * Running one episode with an ε-greedy policy and collecting its transitions in typed arrays. The same
 * function runs on worker threads and on the main thread, so where an episode runs cannot change it.
 */
import { ValidationError, mulberry32 } from '../../core/index.js';
import { epsilonGreedy } from './action-selection.js';
import { type Env, checkObservation } from './env.js';
import type { QFunction } from './heads.js';
import { SEED_STREAM, deriveSeed } from './seeds.js';

/**
 * One episode's transitions. State t is `states[t·S … t·S+S)`; `states` and `masks` hold steps + 1
 * entries (the last is the state after the last step), so transition t goes from entry t to t + 1.
 */
export interface EpisodeTransitions {
  readonly steps: number;
  readonly states: Float32Array;
  readonly masks: Uint8Array;
  readonly actions: Int32Array;
  readonly rewards: Float64Array;
  readonly dones: Uint8Array;
  /** Reward parts (EnvStep.terms), `steps · termCount` values, step-major; empty when the env gives none. */
  readonly terms?: Float64Array;
  /** Sum of rewards (undiscounted). */
  readonly totalReward: number;
  /** True when the episode was cut at `maxSteps` without `done`. */
  readonly truncated: boolean;
}

/** Options of {@link runEpisode}. */
export interface RunEpisodeOptions {
  /** Probability of a random allowed action (0 = greedy). */
  readonly epsilon: number;
  /** The episode seed (the env got it too); the action choices use a seed derived from it. */
  readonly seed: number;
  /** Cut the episode after this many steps (default 1,000,000). */
  readonly maxSteps?: number;
}

class Grow<T extends Float32Array | Float64Array | Uint8Array | Int32Array> {
  a: T;
  constructor(private readonly make: (n: number) => T, n: number) {
    this.a = make(n);
  }
  ensure(n: number): T {
    if (n > this.a.length) {
      const b = this.make(Math.max(n, this.a.length * 2));
      b.set(this.a as never);
      this.a = b;
    }
    return this.a;
  }
}

/** Runs `env` from reset to done (or `maxSteps`) choosing ε-greedy actions of `net` among allowed ones. */
export function runEpisode(env: Env, net: QFunction, options: RunEpisodeOptions): EpisodeTransitions {
  const S = env.stateSize;
  const A = env.actionCount;
  if (S !== net.inputs || A !== net.outputs) {
    throw new ValidationError(`episode: env has ${S} state values and ${A} actions, the net expects ${net.inputs} inputs and ${net.outputs} outputs`);
  }
  const maxSteps = options.maxSteps ?? 1_000_000;
  const rng = mulberry32(deriveSeed(options.seed, SEED_STREAM.actions));
  const states = new Grow((n) => new Float32Array(n), 64 * S);
  const masks = new Grow((n) => new Uint8Array(n), 64 * A);
  const actions = new Grow((n) => new Int32Array(n), 64);
  const rewards = new Grow((n) => new Float64Array(n), 64);
  const dones = new Grow((n) => new Uint8Array(n), 64);
  const terms = new Grow((n) => new Float64Array(n), 0);
  let termCount = -1;
  let obs = env.reset();
  checkObservation(obs, S, A, 'env.reset()');
  states.a.set(obs.state, 0);
  masks.a.set(obs.mask, 0);
  let t = 0;
  let total = 0;
  let done = false;
  while (!done && t < maxSteps) {
    const a = epsilonGreedy(net, obs.state, obs.mask, options.epsilon, rng);
    const step = env.step(a);
    checkObservation(step, S, A, `env.step() at step ${t}`);
    if (!Number.isFinite(step.reward)) throw new ValidationError(`env.step() at step ${t}: reward expected a finite number, got ${step.reward}`);
    actions.ensure(t + 1)[t] = a;
    rewards.ensure(t + 1)[t] = step.reward;
    done = step.done === true;
    dones.ensure(t + 1)[t] = done ? 1 : 0;
    const k = step.terms?.length ?? 0;
    if (termCount < 0) termCount = k;
    if (k !== termCount) throw new ValidationError(`env.step() at step ${t}: expected ${termCount} reward terms (as at step 0), got ${k}`);
    if (k > 0) terms.ensure((t + 1) * k).set(step.terms!, t * k);
    t++;
    states.ensure((t + 1) * S).set(step.state, t * S);
    masks.ensure((t + 1) * A).set(step.mask, t * A);
    total += step.reward;
    obs = step;
  }
  return {
    steps: t,
    states: states.a.slice(0, (t + 1) * S),
    masks: masks.a.slice(0, (t + 1) * A),
    actions: actions.a.slice(0, t),
    rewards: rewards.a.slice(0, t),
    dones: dones.a.slice(0, t),
    terms: terms.a.slice(0, t * Math.max(termCount, 0)),
    totalReward: total,
    truncated: !done,
  };
}
