/**
 * Hindsight relabelling of the trade-off weights (in the spirit of hindsight experience replay,
 * Andrychowicz et al. 2017, applied to reward weights): when the reward is linear in weights that the
 * state carries, `r = terms[0] − Σ_j w_j · terms[j+1]`, a stored transition is as valid under any other
 * weights — the same step with the weights written into its state and next state and its reward
 * recomposed. A conditioned policy then sees every transition at many trade-offs, and the only thing
 * that differs between them is the weights' effect, instead of having to separate that small effect
 * from the noise between different episodes.
 */
import { type Rng, ValidationError, requireInRange } from '../../core/index.js';
import type { ReplayBatch } from './replay-buffer.js';

/** One trade-off weight of the state: its index, the range new values are drawn from, its encoding. */
export interface RelabelWeight {
  /** Index of the weight's feature in the state vector. */
  readonly index: number;
  /** New weights are drawn log-uniformly in [lo, hi] (uniformly when lo is 0). */
  readonly range: readonly [number, number];
  /** The state feature of a weight (the env's encoding of it). */
  readonly encode: (weight: number) => number;
}

/** What to relabel: the state's weights (in the order of the reward terms 1…) and the share of samples. */
export interface RewardRelabel {
  readonly weights: readonly RelabelWeight[];
  /** Share of the sampled transitions given new weights, in [0, 1]. */
  readonly share: number;
}

/** Checks a relabelling spec against the state size; throws naming the bad field. */
export function checkRelabel(r: RewardRelabel, stateSize: number): void {
  requireInRange(r.share, 'relabel share', 0, 1);
  if (!Array.isArray(r.weights) || r.weights.length === 0) throw new ValidationError('relabel weights: expected at least one weight, got none');
  r.weights.forEach((w, j) => {
    if (!Number.isInteger(w.index) || w.index < 0 || w.index >= stateSize) throw new ValidationError(`relabel weights[${j}].index: expected an integer in [0, ${stateSize}), got ${w.index}`);
    const [lo, hi] = w.range;
    if (!(lo >= 0 && hi >= lo && Number.isFinite(hi))) throw new ValidationError(`relabel weights[${j}].range: expected 0 ≤ lo ≤ hi, got [${lo}, ${hi}]`);
  });
}

/**
 * Gives a `share` of the batch's samples new weights drawn with `rng`: writes their encodings into the
 * state and next state and recomposes the reward from the sample's terms (`1 + weights.length` per sample).
 */
export function relabelBatch(batch: ReplayBatch, r: RewardRelabel, stateSize: number, rng: Rng): ReplayBatch {
  const J = r.weights.length;
  const K = J + 1;
  if (batch.terms.length < batch.size * K) throw new ValidationError(`relabel: expected ${K} reward terms per sample (1 + ${J} weights), got ${batch.terms.length / Math.max(batch.size, 1)}`);
  for (let k = 0; k < batch.size; k++) {
    if (rng() >= r.share) continue;
    let reward = batch.terms[k * K];
    for (let j = 0; j < J; j++) {
      const w = r.weights[j];
      const [lo, hi] = w.range;
      const u = rng();
      const value = lo > 0 ? Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * u) : lo + (hi - lo) * u;
      const x = w.encode(value);
      batch.states[k * stateSize + w.index] = x;
      batch.nextStates[k * stateSize + w.index] = x;
      reward -= value * batch.terms[k * K + 1 + j];
    }
    batch.rewards[k] = reward;
  }
  return batch;
}
