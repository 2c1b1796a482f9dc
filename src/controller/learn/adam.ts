/**
 * Adam optimiser (Kingma & Ba 2015) over one flat parameter array, with the update of PyTorch's
 * `torch.optim.Adam` (no weight decay, no amsgrad) and optional gradient clipping by global L2 norm
 * (as `torch.nn.utils.clip_grad_norm_`: g ← g · maxNorm / (‖g‖ + 1e-6) when ‖g‖ > maxNorm).
 *
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  t ← t+1
 *   θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)
 *
 * Moments are kept in float64; the loop allocates nothing.
 */
import { ValidationError, requireFinite } from '../../core/index.js';
import type { FloatArray } from './mlp-net.js';

/** Adam hyper-parameters (defaults as in PyTorch). */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  readonly lr?: number;
  /** First-moment decay (default 0.9). */
  readonly beta1?: number;
  /** Second-moment decay (default 0.999). */
  readonly beta2?: number;
  /** Denominator guard (default 1e-8). */
  readonly eps?: number;
  /** Clip the gradient to this global L2 norm before the step (default: no clipping). */
  readonly maxGradNorm?: number;
}

/** Defaults of {@link AdamOptions}. */
export const ADAM_DEFAULTS = Object.freeze({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 });

/** Adam state for one parameter array of fixed size. */
export class Adam {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly maxGradNorm: number | undefined;
  readonly #m: Float64Array;
  readonly #v: Float64Array;
  #t = 0;

  constructor(size: number, options: AdamOptions = {}) {
    const o = { ...ADAM_DEFAULTS, ...options };
    this.lr = requireFinite(o.lr, 'adam lr');
    this.beta1 = requireFinite(o.beta1, 'adam beta1');
    this.beta2 = requireFinite(o.beta2, 'adam beta2');
    this.eps = requireFinite(o.eps, 'adam eps');
    if (!(this.lr > 0)) throw new ValidationError(`adam lr: expected a number > 0, got ${this.lr}`);
    for (const [k, b] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new ValidationError(`adam ${k}: expected a number in [0, 1), got ${b}`);
    }
    if (o.maxGradNorm !== undefined && !(requireFinite(o.maxGradNorm, 'adam maxGradNorm') > 0)) {
      throw new ValidationError(`adam maxGradNorm: expected a number > 0, got ${o.maxGradNorm}`);
    }
    this.maxGradNorm = o.maxGradNorm;
    this.#m = new Float64Array(size);
    this.#v = new Float64Array(size);
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.#t;
  }

  /**
   * One update of `params` from `grads` (same length as the optimiser's size). Clips `grads` in place
   * when `maxGradNorm` is set. Returns the global L2 norm of the gradient before clipping.
   */
  step(params: FloatArray, grads: FloatArray): number {
    const n = this.#m.length;
    if (params.length !== n || grads.length !== n) {
      throw new ValidationError(`adam step: expected params and grads of ${n} values, got ${params.length} and ${grads.length}`);
    }
    let sq = 0;
    for (let i = 0; i < n; i++) sq += grads[i] * grads[i];
    const norm = Math.sqrt(sq);
    if (this.maxGradNorm !== undefined && norm > this.maxGradNorm) {
      const k = this.maxGradNorm / (norm + 1e-6);
      for (let i = 0; i < n; i++) grads[i] *= k;
    }
    this.#t++;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const stepSize = this.lr / (1 - b1 ** this.#t);
    const sqrtBc2 = Math.sqrt(1 - b2 ** this.#t);
    const m = this.#m;
    const v = this.#v;
    for (let i = 0; i < n; i++) {
      const g = grads[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      params[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / sqrtBc2 + this.eps);
    }
    return norm;
  }
}
