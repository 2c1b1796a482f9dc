/**
 * Double DQN (van Hasselt et al. 2016) with a target network and Huber loss:
 *
 *   y = r                                           if the episode ended (no bootstrap)
 *   y = r + γ^h · Q_target(s', argmax_{a' allowed in s'} Q_online(s', a'))   otherwise
 *   loss = mean Huber(Q_online(s, a) − y)           (gradient on the chosen action's output only)
 *
 * h is the transition's n-step horizon (r is then the discounted n-step sum, see {@link pushEpisode}).
 * The target network is a hard copy of the online network, refreshed every `targetEvery` updates.
 * The bootstrap argmax runs over the next state's allowed actions only, so a masked action can never
 * be the target. Updates are deterministic (no randomness inside; batches come from a seeded sampler).
 */
import { ValidationError, requireInteger, requireInRange } from '../../core/index.js';
import { Adam } from './adam.js';
import { maskedArgmax } from './action-selection.js';
import { huber, huberGrad } from './loss.js';
import { type RewardHeads, checkHeadsNet, combineHeads, headCoefficients, headDiscounts, hideWeights } from './heads.js';
import { MlpNet } from './mlp-net.js';
import type { ReplayBatch, ReplayBuffer } from './replay-buffer.js';
import type { EpisodeTransitions } from './episode.js';

/** Options of {@link DqnAgent}; defaults in {@link DQN_DEFAULTS}. */
export interface DqnOptions {
  /** Net widths [stateSize, …hidden, actionCount]; required unless `init` is given (then ignored). */
  readonly sizes?: readonly number[];
  /** Start from these parameters (e.g. an imported policy) instead of a fresh He init. */
  readonly init?: MlpNet;
  /** Seed of the He initialisation (default 1). */
  readonly seed?: number;
  /** Discount γ ∈ [0, 1] (default 0.99). */
  readonly gamma?: number;
  /** Adam learning rate (default 1e-3). */
  readonly lr?: number;
  /** Global gradient-norm clip (default 10). */
  readonly maxGradNorm?: number;
  /** Hard target-network copy every this many updates (default 500). */
  readonly targetEvery?: number;
  /** Huber δ (default 1). */
  readonly huberDelta?: number;
  /**
   * Reward heads (heads.ts): the net has `count · A` outputs, one Q per reward part, trained on the
   * batches' reward terms; the bootstrap action is the argmax of the parts weighted by the next state's
   * weights. Batches must carry `count` terms per sample. Default none (one Q, trained on the reward).
   */
  readonly heads?: RewardHeads;
}

/** Defaults of {@link DqnOptions}. */
export const DQN_DEFAULTS = Object.freeze({ seed: 1, gamma: 0.99, lr: 1e-3, maxGradNorm: 10, targetEvery: 500, huberDelta: 1 });

/** Online + target network, Adam, and the double-DQN update. */
export class DqnAgent {
  readonly online: MlpNet;
  readonly target: MlpNet;
  readonly optimizer: Adam;
  readonly gamma: number;
  readonly targetEvery: number;
  readonly huberDelta: number;
  readonly heads: RewardHeads | undefined;
  #updates = 0;
  #targets = new Float64Array(0);

  constructor(options: DqnOptions) {
    const o = { ...DQN_DEFAULTS, ...options };
    this.gamma = requireInRange(o.gamma, 'dqn gamma', 0, 1);
    this.targetEvery = requireInteger(o.targetEvery, 'dqn targetEvery', 1);
    this.huberDelta = requireInRange(o.huberDelta, 'dqn huberDelta', Number.MIN_VALUE, Number.MAX_VALUE);
    if (!o.init && !o.sizes) throw new ValidationError('dqn: expected sizes or an init net, got neither');
    this.online = o.init ? o.init.clone() : MlpNet.create(o.sizes ?? [], { seed: o.seed });
    this.target = this.online.clone();
    this.optimizer = new Adam(this.online.params.length, { lr: o.lr, maxGradNorm: o.maxGradNorm });
    this.heads = o.heads;
    if (o.heads) checkHeadsNet(o.heads, this.online);
  }

  /** Gradient updates done so far. */
  get updates(): number {
    return this.#updates;
  }

  /** TD targets y of a batch into `out` (see module comment). */
  tdTargets(batch: ReplayBatch, out: Float64Array): Float64Array {
    const S = this.online.inputs;
    const A = this.online.outputs;
    for (let k = 0; k < batch.size; k++) {
      let y = batch.rewards[k];
      if (!batch.dones[k]) {
        const best = maskedArgmax(this.online.forward(batch.nextStates, k * S), batch.nextMasks, k * A);
        if (best < 0) throw new ValidationError(`dqn: transition ${batch.indices[k]} has a next state with no allowed action and is not done`);
        y += this.gamma ** batch.horizons[k] * this.target.forward(batch.nextStates, k * S)[best];
      }
      out[k] = y;
    }
    return out;
  }

  /**
   * One gradient step on a batch; returns the batch's mean Huber loss before the step. With `expert`,
   * the step also takes the TD loss of a batch of demonstrations and their large-margin loss (DQfD,
   * Hester et al. 2018): weight · (max_a [Q(s,a) + margin·[a ≠ a_E]] − Q(s, a_E)), which makes the
   * demonstrated action the greedy one by at least `margin` unless the TD targets say otherwise.
   */
  update(batch: ReplayBatch, expert?: { readonly batch: ReplayBatch; readonly margin: number; readonly weight: number }): number {
    if (this.heads) return this.#updateHeads(this.heads, batch, expert);
    const n = batch.size;
    if (n < 1) throw new ValidationError('dqn update: empty batch');
    const m = expert?.batch.size ?? 0;
    if (this.#targets.length < Math.max(n, m)) this.#targets = new Float64Array(Math.max(n, m));
    const net = this.online;
    const S = net.inputs;
    const A = net.outputs;
    net.zeroGrad();
    let loss = 0;
    const total = n + m;
    let y = this.tdTargets(batch, this.#targets);
    for (let k = 0; k < n; k++) {
      const a = batch.actions[k];
      const d = net.forward(batch.states, k * S)[a] - y[k];
      loss += huber(d, this.huberDelta);
      net.backwardAt(a, huberGrad(d, this.huberDelta) / total);
    }
    if (expert && m > 0) {
      const e = expert.batch;
      y = this.tdTargets(e, this.#targets);
      const g = new Float64Array(A);
      for (let k = 0; k < m; k++) {
        const aE = e.actions[k];
        const q = net.forward(e.states, k * S);
        const d = q[aE] - y[k];
        g.fill(0);
        g[aE] += huberGrad(d, this.huberDelta) / total;
        let best = aE;
        let bestV = q[aE];
        for (let a = 0; a < A; a++) {
          const v = q[a] + (a === aE ? 0 : expert.margin);
          if (v > bestV) { bestV = v; best = a; }
        }
        if (best !== aE) {
          g[best] += expert.weight / m;
          g[aE] -= expert.weight / m;
        }
        net.backward(g);
      }
    }
    this.optimizer.step(net.params, net.grads);
    this.#updates++;
    if (this.#updates % this.targetEvery === 0) this.target.copyFrom(net);
    return loss / n;
  }

  /** Per-head TD targets of a batch (`count` per sample, head-major per sample) into `out`. */
  #headTargets(h: RewardHeads, batch: ReplayBatch, out: Float64Array): Float64Array {
    const S = this.online.inputs;
    const K = h.count;
    const A = this.online.outputs / K;
    const x = new Float32Array(S);
    const c = new Float64Array(K);
    const v = new Float64Array(A);
    const discounts = headDiscounts(h, this.gamma);
    for (let k = 0; k < batch.size; k++) {
      let best = -1;
      let next: ArrayLike<number> | undefined;
      if (!batch.dones[k]) {
        headCoefficients(h, batch.nextStates, k * S, c);
        hideWeights(h, batch.nextStates, k * S, S, x);
        best = maskedArgmax(combineHeads(this.online.forward(x), c, K, A, v), batch.nextMasks, k * A);
        if (best < 0) throw new ValidationError(`dqn: transition ${batch.indices[k]} has a next state with no allowed action and is not done`);
        next = this.target.forward(x);
      }
      for (let j = 0; j < K; j++) {
        out[k * K + j] = h.scales[j] * batch.terms[k * K + j] + (next ? discounts[j] ** batch.horizons[k] * next[j * A + best] : 0);
      }
    }
    return out;
  }

  /** {@link update} for a heads net: Huber loss per head; the margin loss on the weighted parts. */
  #updateHeads(h: RewardHeads, batch: ReplayBatch, expert?: { readonly batch: ReplayBatch; readonly margin: number; readonly weight: number }): number {
    const n = batch.size;
    if (n < 1) throw new ValidationError('dqn update: empty batch');
    const K = h.count;
    if (batch.terms.length < n * K) throw new ValidationError(`dqn update: a heads net needs ${K} reward terms per sample, the batch has ${batch.terms.length / n}`);
    const net = this.online;
    const S = net.inputs;
    const A = net.outputs / K;
    const m = expert?.batch.size ?? 0;
    const total = n + m;
    const x = new Float32Array(S);
    const c = new Float64Array(K);
    const g = new Float64Array(net.outputs);
    net.zeroGrad();
    let loss = 0;
    const td = (b: ReplayBatch, margin?: { readonly margin: number; readonly weight: number }): void => {
      const y = this.#headTargets(h, b, new Float64Array(b.size * K));
      for (let k = 0; k < b.size; k++) {
        const a = b.actions[k];
        const q = net.forward(hideWeights(h, b.states, k * S, S, x));
        g.fill(0);
        for (let j = 0; j < K; j++) {
          const d = q[j * A + a] - y[k * K + j];
          if (!margin) loss += huber(d, this.huberDelta);
          g[j * A + a] += huberGrad(d, this.huberDelta) / total;
        }
        if (margin) {
          headCoefficients(h, b.states, k * S, c);
          let best = a;
          let bestV = -Infinity;
          for (let act = 0; act < A; act++) {
            let val = act === a ? 0 : margin.margin;
            for (let j = 0; j < K; j++) val += c[j] * q[j * A + act];
            if (val > bestV) { bestV = val; best = act; }
          }
          if (best !== a) {
            for (let j = 0; j < K; j++) {
              g[j * A + best] += (margin.weight / m) * c[j];
              g[j * A + a] -= (margin.weight / m) * c[j];
            }
          }
        }
        net.backward(g);
      }
    };
    td(batch);
    if (expert && m > 0) {
      if (expert.batch.terms.length < m * K) throw new ValidationError(`dqn update: a heads net needs ${K} reward terms per demonstration sample`);
      td(expert.batch, expert);
    }
    this.optimizer.step(net.params, net.grads);
    this.#updates++;
    if (this.#updates % this.targetEvery === 0) this.target.copyFrom(net);
    return loss / n;
  }
}

/**
 * Pushes an episode's transitions into a replay buffer as n-step transitions: transition t carries
 * R = Σ_{k<h} γ^k r_{t+k}, next state s_{t+h}, horizon h, where h = min(n, steps − t) or less if the
 * episode is done earlier. An episode cut without `done` (step limit) bootstraps from its last state.
 * When the buffer keeps reward parts (`termCount` > 0), the episode must carry them and each is summed
 * like the reward, with its own discount when `termDiscounts` gives one per part (reward heads with
 * their own discounts, heads.ts), otherwise with γ.
 */
export function pushEpisode(buffer: ReplayBuffer, ep: EpisodeTransitions, gamma: number, nStep = 1, termDiscounts?: readonly number[]): void {
  requireInteger(nStep, 'dqn nStep', 1);
  const S = buffer.stateSize;
  const A = buffer.actionCount;
  const T = ep.steps;
  const K = buffer.termCount;
  if (K > 0 && ep.terms?.length !== T * K) {
    throw new ValidationError(`replay: the buffer keeps ${K} reward terms per step, the episode has ${ep.terms?.length ?? 0} values for ${T} steps (an env without EnvStep.terms?)`);
  }
  if (termDiscounts !== undefined && termDiscounts.length !== K) throw new ValidationError(`replay: expected ${K} term discounts (one per reward term), got ${termDiscounts.length}`);
  const sums = new Float64Array(K);
  const discounts = Float64Array.from({ length: K }, (_, j) => termDiscounts?.[j] ?? gamma);
  const weights = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    const m = Math.min(nStep, T - t);
    let r = 0;
    let g = 1;
    let h = 0;
    let done = false;
    sums.fill(0);
    weights.fill(1);
    while (h < m && !done) {
      r += g * ep.rewards[t + h];
      for (let j = 0; j < K; j++) {
        sums[j] += weights[j] * ep.terms![(t + h) * K + j];
        weights[j] *= discounts[j];
      }
      g *= gamma;
      done = ep.dones[t + h] === 1;
      h++;
    }
    buffer.push(ep.states, t * S, ep.actions[t], r, ep.states, (t + h) * S, ep.masks, (t + h) * A, done, h, sums);
  }
}
