/**
 * Experience replay: a fixed-capacity ring of transitions stored in typed arrays (state, action, reward,
 * next state, next state's action mask, done, n-step horizon, and optionally the reward's parts for
 * hindsight relabelling, relabel.ts). When full, the oldest transition is
 * overwritten. Sampling is uniform with replacement from a caller-given seeded generator, into a
 * preallocated batch, so it allocates nothing and is reproducible.
 */
import { type Rng, ValidationError, requireInteger } from '../../core/index.js';

/** Sizes of a {@link ReplayBuffer}. */
export interface ReplayBufferOptions {
  /** Maximum number of transitions kept. */
  readonly capacity: number;
  readonly stateSize: number;
  readonly actionCount: number;
  /** Reward parts kept per transition (EnvStep.terms, n-step sums like the reward); default 0. */
  readonly termCount?: number;
}

/** A sampled batch (arrays sized for `capacity` samples; the first `size` are valid). */
export interface ReplayBatch {
  size: number;
  readonly states: Float32Array;
  readonly actions: Int32Array;
  /** Reward of the transition: the discounted n-step sum when horizon > 1. */
  readonly rewards: Float64Array;
  readonly nextStates: Float32Array;
  /** 1 = action allowed in the next state (the bootstrap target's argmax runs over these only). */
  readonly nextMasks: Uint8Array;
  /** 1 = the episode ended: no bootstrap. */
  readonly dones: Uint8Array;
  /** Steps between state and next state (n of the n-step return; the bootstrap discount is γ^horizon). */
  readonly horizons: Uint8Array;
  /** Ring slots the samples came from. */
  readonly indices: Int32Array;
  /** Reward parts of each sample, `termCount` values per sample (empty when the buffer keeps none). */
  readonly terms: Float64Array;
}

/** Fixed-capacity ring of transitions (see module comment). */
export class ReplayBuffer {
  readonly capacity: number;
  readonly stateSize: number;
  readonly actionCount: number;
  readonly termCount: number;
  readonly #states: Float32Array;
  readonly #actions: Int32Array;
  readonly #rewards: Float64Array;
  readonly #next: Float32Array;
  readonly #masks: Uint8Array;
  readonly #dones: Uint8Array;
  readonly #horizons: Uint8Array;
  readonly #terms: Float64Array;
  #size = 0;
  #head = 0;
  #pushed = 0;

  constructor(options: ReplayBufferOptions) {
    this.capacity = requireInteger(options.capacity, 'replay capacity', 1);
    this.stateSize = requireInteger(options.stateSize, 'replay stateSize', 1);
    this.actionCount = requireInteger(options.actionCount, 'replay actionCount', 1);
    this.termCount = requireInteger(options.termCount ?? 0, 'replay termCount', 0);
    const c = this.capacity;
    this.#terms = new Float64Array(c * this.termCount);
    this.#states = new Float32Array(c * this.stateSize);
    this.#actions = new Int32Array(c);
    this.#rewards = new Float64Array(c);
    this.#next = new Float32Array(c * this.stateSize);
    this.#masks = new Uint8Array(c * this.actionCount);
    this.#dones = new Uint8Array(c);
    this.#horizons = new Uint8Array(c);
  }

  /** Transitions currently stored (≤ capacity). */
  get size(): number {
    return this.#size;
  }

  /** Transitions ever pushed. */
  get pushed(): number {
    return this.#pushed;
  }

  /**
   * Stores one transition, reading the state at `stateOffset` of `states`, the next state at
   * `nextOffset` of `nextStates` and its mask at `maskOffset` of `nextMasks` (so an episode's arrays can
   * be pushed without copies). `terms` (the reward's parts) must have `termCount` values when the
   * buffer keeps them. Overwrites the oldest transition when full.
   */
  push(
    states: Float32Array, stateOffset: number, action: number, reward: number,
    nextStates: Float32Array, nextOffset: number, nextMasks: Uint8Array, maskOffset: number,
    done: boolean, horizon = 1, terms?: ArrayLike<number>,
  ): void {
    const S = this.stateSize;
    const A = this.actionCount;
    if (!(action >= 0 && action < A && Number.isInteger(action))) throw new ValidationError(`replay push action: expected an integer in [0, ${A}), got ${action}`);
    if (!Number.isFinite(reward)) throw new ValidationError(`replay push reward: expected a finite number, got ${reward}`);
    if (!(horizon >= 1 && horizon <= 255 && Number.isInteger(horizon))) throw new ValidationError(`replay push horizon: expected an integer in [1, 255], got ${horizon}`);
    const K = this.termCount;
    if (K > 0 && terms?.length !== K) throw new ValidationError(`replay push terms: expected ${K} reward terms, got ${terms?.length ?? 'none'}`);
    const i = this.#head;
    for (let j = 0; j < K; j++) this.#terms[i * K + j] = terms![j];
    this.#states.set(states.subarray(stateOffset, stateOffset + S), i * S);
    this.#next.set(nextStates.subarray(nextOffset, nextOffset + S), i * S);
    this.#masks.set(nextMasks.subarray(maskOffset, maskOffset + A), i * A);
    this.#actions[i] = action;
    this.#rewards[i] = reward;
    this.#dones[i] = done ? 1 : 0;
    this.#horizons[i] = horizon;
    this.#head = (i + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
    this.#pushed++;
  }

  /** A batch to sample into, sized for `batchSize` samples. */
  createBatch(batchSize: number): ReplayBatch {
    requireInteger(batchSize, 'replay batch size', 1);
    return {
      size: 0,
      states: new Float32Array(batchSize * this.stateSize),
      actions: new Int32Array(batchSize),
      rewards: new Float64Array(batchSize),
      nextStates: new Float32Array(batchSize * this.stateSize),
      nextMasks: new Uint8Array(batchSize * this.actionCount),
      dones: new Uint8Array(batchSize),
      horizons: new Uint8Array(batchSize),
      indices: new Int32Array(batchSize),
      terms: new Float64Array(batchSize * this.termCount),
    };
  }

  /** Fills `out` with `batchSize` transitions drawn uniformly with replacement using `rng`. */
  sample(batchSize: number, rng: Rng, out: ReplayBatch): ReplayBatch {
    if (this.#size === 0) throw new ValidationError('replay sample: the buffer is empty');
    if (out.actions.length < batchSize) throw new ValidationError(`replay sample: batch holds ${out.actions.length} samples, asked for ${batchSize}`);
    const S = this.stateSize;
    const A = this.actionCount;
    for (let k = 0; k < batchSize; k++) {
      const i = Math.floor(rng() * this.#size);
      out.indices[k] = i;
      out.states.set(this.#states.subarray(i * S, i * S + S), k * S);
      out.nextStates.set(this.#next.subarray(i * S, i * S + S), k * S);
      out.nextMasks.set(this.#masks.subarray(i * A, i * A + A), k * A);
      out.actions[k] = this.#actions[i];
      out.rewards[k] = this.#rewards[i];
      out.dones[k] = this.#dones[i];
      out.horizons[k] = this.#horizons[i];
      const K = this.termCount;
      for (let j = 0; j < K; j++) out.terms[k * K + j] = this.#terms[i * K + j];
    }
    out.size = batchSize;
    return out;
  }
}
