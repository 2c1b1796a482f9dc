/**
 * A tiny deterministic chain MDP for tests, benches and smoke runs of the agent; also an example of an
 * env-factory module (`createEnv(spec, seed)`).
 *
 * Positions 0 … L−1; the episode starts at 0 or 1 (drawn from the seed unless `start` is given) and ends
 * on reaching L−1 (+1) or after `horizon` steps. Actions:
 *   0 stay   −0.005           (a myopic lure: cheaper than moving, but the goal is what pays)
 *   1 right  −0.01, pos + 1
 *   2 leap   −0.01, pos + 2   allowed only from an even position, not right after a leap (cool-down)
 *                             and not past the end — the masked action, like an offload while busy.
 * State (L + 2 values): one-hot position, cool-down flag, t / horizon. Stepping a masked action throws.
 * `work` adds that many rounds of deterministic arithmetic per step to mimic a costlier simulator.
 */
import { ValidationError, mulberry32 } from '../../core/index.js';
import type { Env, EnvObservation, EnvStep, EpisodeSpec } from './env.js';

/** Parameters of the toy chain (all optional). */
export interface ToyChainSpec {
  /** Chain length L ≥ 3 (default 6). */
  readonly length?: number;
  /** Step limit (default 3·L). */
  readonly horizon?: number;
  /** Start position (default: 0 or 1 from the seed). */
  readonly start?: number;
  /** Extra arithmetic rounds per step (default 0). */
  readonly work?: number;
}

/** Action indices of the toy chain. */
export const TOY_ACTIONS = Object.freeze({ stay: 0, right: 1, leap: 2 });

/** Rewards of the toy chain. */
export const TOY_REWARDS = Object.freeze({ stay: -0.005, move: -0.01, goal: 1 });

function int(spec: EpisodeSpec, key: string, dflt: number, min: number): number {
  const v = spec[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ValidationError(`toy env spec.${key}: expected an integer ≥ ${min}, got ${JSON.stringify(v)}`, { key });
  }
  return v;
}

/** The toy chain environment (see module comment). */
export class ToyChainEnv implements Env {
  readonly stateSize: number;
  readonly actionCount = 3;
  readonly length: number;
  readonly horizon: number;
  readonly #start: number;
  readonly #work: number;
  readonly #state: Float32Array;
  readonly #mask = new Uint8Array(3);
  #pos = 0;
  #t = 0;
  #cool = false;
  #sink = 0;

  constructor(spec: EpisodeSpec, seed: number) {
    this.length = int(spec, 'length', 6, 3);
    this.horizon = int(spec, 'horizon', 3 * this.length, 1);
    this.#work = int(spec, 'work', 0, 0);
    this.#start = spec.start === undefined ? Math.floor(mulberry32(seed)() * 2) : int(spec, 'start', 0, 0);
    if (this.#start >= this.length - 1) throw new ValidationError(`toy env spec.start: expected < ${this.length - 1}, got ${this.#start}`);
    this.stateSize = this.length + 2;
    this.#state = new Float32Array(this.stateSize);
  }

  /** Whether `leap` is allowed at (pos, cool-down). */
  static leapAllowed(pos: number, cool: boolean, length: number): boolean {
    return !cool && pos % 2 === 0 && pos + 2 <= length - 1;
  }

  #observe(): EnvObservation {
    this.#state.fill(0);
    this.#state[this.#pos] = 1;
    this.#state[this.length] = this.#cool ? 1 : 0;
    this.#state[this.length + 1] = this.#t / this.horizon;
    this.#mask[0] = 1;
    this.#mask[1] = 1;
    this.#mask[2] = ToyChainEnv.leapAllowed(this.#pos, this.#cool, this.length) ? 1 : 0;
    return { state: this.#state, mask: this.#mask };
  }

  reset(): EnvObservation {
    this.#pos = this.#start;
    this.#t = 0;
    this.#cool = false;
    return this.#observe();
  }

  step(action: number): EnvStep {
    if (!(action >= 0 && action < 3) || !this.#mask[action]) {
      throw new ValidationError(`toy env: action ${action} is not allowed at position ${this.#pos} (mask ${this.#mask.join('')})`);
    }
    for (let i = 0; i < this.#work; i++) this.#sink = (this.#sink + Math.sqrt(i + this.#t)) % 1e6;
    let reward: number = TOY_REWARDS.move;
    if (action === TOY_ACTIONS.stay) reward = TOY_REWARDS.stay;
    else this.#pos = Math.min(this.length - 1, this.#pos + (action === TOY_ACTIONS.leap ? 2 : 1));
    this.#cool = action === TOY_ACTIONS.leap;
    this.#t++;
    const goal = this.#pos === this.length - 1;
    if (goal) reward += TOY_REWARDS.goal;
    return { ...this.#observe(), reward, done: goal || this.#t >= this.horizon };
  }
}

/** Env-factory entry point (see EnvModule). */
export function createEnv(spec: EpisodeSpec, seed: number): Env {
  return new ToyChainEnv(spec, seed);
}
