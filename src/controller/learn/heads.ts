/**
 * Reward heads: a Q-function per reward part instead of one for the weighted sum. When the reward is
 * `r = part_0 − Σ_j w_j · part_j` with trade-off weights w_j the state carries (EnvStep.terms), the net
 * predicts each part's return separately (`count · A` outputs, head-major: output j·A + a is head j of
 * action a, scaled: head j predicts scales[j] × part j's return) and does **not** see the weights (their
 * state features are zeroed before the forward pass). An action's value under weights w is
 * Q_0/scales[0] − Σ_j w_j · Q_j/scales[j]: a policy moves along the trade-off at decision time with the
 * same heads, so raising a weight can only move each decision toward actions with a lower return of
 * that part (linear scalarisation of a multi-objective Q; the heads estimate the parts under the mix of
 * policies seen in training, as successor features do).
 */
import { ValidationError } from '../../core/index.js';

/** Serialisable description of the heads (crosses to rollout workers). */
export interface RewardHeads {
  /** Reward parts, ≥ 2: part 0 is the gain, parts 1… are costs weighted by the state's weights. */
  readonly count: number;
  /** State indices of the weights of parts 1 … count − 1. */
  readonly weightIndices: readonly number[];
  /** Head j predicts scales[j] × the return of part j (brings the parts to similar magnitudes). */
  readonly scales: readonly number[];
  /** Weights are encoded in the state as ln(1 + w) / ln(1 + featureScale) (features-v2's encoding). */
  readonly featureScale: number;
  /**
   * The net sees the weights (default false: they are zeroed). Conditioned heads estimate each part's
   * return under the policy of the state's own weights, not under the mix of policies seen in training.
   */
  readonly conditioned?: boolean;
  /**
   * Discount of each head's return (default: the agent's γ for every head). A lower discount makes a
   * head estimate a shorter horizon of its part: at 0 it predicts the part of the decision's own frame
   * (the uplink head: the bytes this offload sends), which the net learns almost exactly, so the
   * weighted choice then trades the gain's return against the action's own cost.
   */
  readonly discounts?: readonly number[];
}

/** Checks heads against a state size and action count; throws naming the field. */
export function checkHeads(h: RewardHeads, stateSize: number): void {
  if (!Number.isInteger(h.count) || h.count < 2) throw new ValidationError(`heads.count: expected an integer ≥ 2, got ${h.count}`);
  if (h.weightIndices.length !== h.count - 1) throw new ValidationError(`heads.weightIndices: expected ${h.count - 1} indices, got ${h.weightIndices.length}`);
  for (const i of h.weightIndices) if (!Number.isInteger(i) || i < 0 || i >= stateSize) throw new ValidationError(`heads.weightIndices: expected integers in [0, ${stateSize}), got ${i}`);
  if (h.scales.length !== h.count || h.scales.some((s) => !(s > 0))) throw new ValidationError(`heads.scales: expected ${h.count} numbers > 0, got [${h.scales.join(', ')}]`);
  if (!(h.featureScale > 0)) throw new ValidationError(`heads.featureScale: expected a number > 0, got ${h.featureScale}`);
  if (h.discounts !== undefined && (h.discounts.length !== h.count || h.discounts.some((g) => !(g >= 0 && g <= 1)))) {
    throw new ValidationError(`heads.discounts: expected ${h.count} numbers in [0, 1], got [${h.discounts.join(', ')}]`);
  }
}

/** Each head's discount: `heads.discounts`, or `gamma` for every head. */
export function headDiscounts(h: RewardHeads, gamma: number): readonly number[] {
  return h.discounts ?? Array.from({ length: h.count }, () => gamma);
}

/** The weight w encoded as a state feature value x (inverse of the encoding). */
export function decodeWeight(h: RewardHeads, x: number): number {
  return Math.expm1(x * Math.log1p(h.featureScale));
}

/** Per-head coefficients c_j with value = Σ_j c_j · Q_j: c_0 = 1/scales[0], c_j = −w_j/scales[j] (w_j from the state). */
export function headCoefficients(h: RewardHeads, state: ArrayLike<number>, offset: number, out: Float64Array): Float64Array {
  out[0] = 1 / h.scales[0];
  for (let j = 1; j < h.count; j++) out[j] = -decodeWeight(h, state[offset + h.weightIndices[j - 1]]) / h.scales[j];
  return out;
}

/** Copy of the state at `offset` as the heads' net sees it: the weight features zeroed unless `conditioned`. */
export function hideWeights(h: RewardHeads, state: ArrayLike<number>, offset: number, size: number, out: Float32Array): Float32Array {
  for (let i = 0; i < size; i++) out[i] = state[offset + i];
  if (!h.conditioned) for (const i of h.weightIndices) out[i] = 0;
  return out;
}

/** The weighted values of the A actions from `count · A` head outputs. */
export function combineHeads(outputs: ArrayLike<number>, coefficients: ArrayLike<number>, count: number, actions: number, out: Float64Array): Float64Array {
  for (let a = 0; a < actions; a++) {
    let v = 0;
    for (let j = 0; j < count; j++) v += coefficients[j] * outputs[j * actions + a];
    out[a] = v;
  }
  return out;
}

/** Checks heads against a net: {@link checkHeads} on its inputs, and outputs that split into `count` equal heads. */
export function checkHeadsNet(h: RewardHeads, net: { readonly inputs: number; readonly outputs: number }): void {
  checkHeads(h, net.inputs);
  if (net.outputs % h.count !== 0) throw new ValidationError(`heads: the net's ${net.outputs} outputs are not ${h.count} heads of equal size`);
}

/** Something with a forward pass (an MlpNet, or a {@link HeadsQ}). */
export interface QFunction {
  readonly inputs: number;
  readonly outputs: number;
  forward(x: ArrayLike<number>, offset?: number): ArrayLike<number>;
}

/** A heads net seen as an ordinary Q-function of A actions at the state's own weights. */
export class HeadsQ implements QFunction {
  readonly inputs: number;
  readonly outputs: number;
  readonly #net: QFunction;
  readonly #heads: RewardHeads;
  readonly #x: Float32Array;
  readonly #c: Float64Array;
  readonly #v: Float64Array;

  constructor(net: QFunction, heads: RewardHeads) {
    checkHeadsNet(heads, net);
    this.#net = net;
    this.#heads = heads;
    this.inputs = net.inputs;
    this.outputs = net.outputs / heads.count;
    this.#x = new Float32Array(net.inputs);
    this.#c = new Float64Array(heads.count);
    this.#v = new Float64Array(this.outputs);
  }

  forward(x: ArrayLike<number>, offset = 0): Float64Array {
    headCoefficients(this.#heads, x, offset, this.#c);
    const out = this.#net.forward(hideWeights(this.#heads, x, offset, this.inputs, this.#x));
    return combineHeads(out, this.#c, this.#heads.count, this.outputs, this.#v);
  }
}
