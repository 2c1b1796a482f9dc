import { ValidationError, describeValue } from '../../core/index.js';

/** Reconnect backoff: exponential with jitter. */
export interface BackoffOptions {
  /** First delay, ms. Default 100. */
  readonly initialMs?: number;
  /** Largest delay, ms. Default 5000. */
  readonly maxMs?: number;
  /** Fraction in [0, 1] of the delay that is randomised away (0 = none, 1 = "full jitter"). Default 0.5. */
  readonly jitter?: number;
}

/** Defaults of {@link BackoffOptions}. */
export const BACKOFF_DEFAULTS = Object.freeze({ initialMs: 100, maxMs: 5000, jitter: 0.5 });

/** Validates and fills {@link BackoffOptions}. */
export function resolveBackoff(options: BackoffOptions = {}): Required<BackoffOptions> {
  const o = { ...BACKOFF_DEFAULTS, ...options };
  if (!(typeof o.initialMs === 'number' && o.initialMs >= 0)) throw new ValidationError(`backoff.initialMs: expected a number ≥ 0, got ${describeValue(o.initialMs)}`);
  if (!(typeof o.maxMs === 'number' && o.maxMs >= o.initialMs)) throw new ValidationError(`backoff.maxMs: expected a number ≥ initialMs (${o.initialMs}), got ${describeValue(o.maxMs)}`);
  if (!(typeof o.jitter === 'number' && o.jitter >= 0 && o.jitter <= 1)) throw new ValidationError(`backoff.jitter: expected a number in [0, 1], got ${describeValue(o.jitter)}`);
  return o;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): `min(maxMs, initialMs·2^attempt)` scaled by
 * `1 − jitter·random()`. `random` returns values in [0, 1).
 */
export function backoffDelay(attempt: number, o: Required<BackoffOptions>, random: () => number = Math.random): number {
  const base = Math.min(o.maxMs, o.initialMs * 2 ** Math.min(attempt, 30));
  return base * (1 - o.jitter * random());
}
