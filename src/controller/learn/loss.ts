/**
 * Huber loss (smooth L1, PyTorch `SmoothL1Loss` with beta = δ): quadratic within ±δ of the target,
 * linear outside, so one large TD error cannot blow up a DQN update.
 */

/** Huber loss of an error d = prediction − target: d²/2 for |d| ≤ δ, else δ(|d| − δ/2). */
export function huber(d: number, delta = 1): number {
  const a = Math.abs(d);
  return a <= delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
}

/** dHuber/dd: d clipped to [−δ, δ]. */
export function huberGrad(d: number, delta = 1): number {
  return d > delta ? delta : d < -delta ? -delta : d;
}
