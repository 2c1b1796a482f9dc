/**
 * Numerical gradient check by central differences: for every parameter θ_k,
 * (L(θ + h·e_k) − L(θ − h·e_k)) / 2h against the analytic dL/dθ_k.
 */
import type { FloatArray } from '../../../src/controller/learn/mlp-net.js';

/** Result of a check: the worst relative error and where it was. */
export interface GradientCheckResult {
  readonly maxRelError: number;
  readonly worstIndex: number;
  readonly numeric: number;
  readonly analytic: number;
}

/**
 * Compares `analytic` (dL/dparams, computed once at the current params) with central differences of
 * `loss()` (which must read `params`). Relative error |a − n| / max(|a| + |n|, floor).
 */
export function checkGradient(params: FloatArray, analytic: ArrayLike<number>, loss: () => number, h = 1e-6, floor = 1e-8): GradientCheckResult {
  let worst = { maxRelError: 0, worstIndex: -1, numeric: 0, analytic: 0 };
  for (let k = 0; k < params.length; k++) {
    const keep = params[k];
    params[k] = keep + h;
    const up = loss();
    params[k] = keep - h;
    const down = loss();
    params[k] = keep;
    const numeric = (up - down) / (2 * h);
    const a = analytic[k];
    const rel = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), floor);
    if (rel > worst.maxRelError) worst = { maxRelError: rel, worstIndex: k, numeric, analytic: a };
  }
  return worst;
}
