/**
 * Action choice over *allowed* actions only (mask byte 1): greedy (argmax, ties → lowest index) and
 * ε-greedy (with probability ε a uniformly random allowed action). A masked action is never returned.
 */
import { type Rng, ValidationError } from '../../core/index.js';
import type { QFunction } from './heads.js';

/** Index of the highest value among allowed actions (ties → lowest index); −1 if none is allowed. */
export function maskedArgmax(values: ArrayLike<number>, mask: ArrayLike<number>, maskOffset = 0): number {
  let best = -1;
  for (let a = 0; a < values.length; a++) {
    if (mask[maskOffset + a] && (best < 0 || values[a] > values[best])) best = a;
  }
  return best;
}

/**
 * ε-greedy over allowed actions: draws u = rng(); if u < ε, a second draw picks one allowed action
 * uniformly; otherwise the net's greedy allowed action. With ε = 0 no random number is drawn.
 */
export function epsilonGreedy(net: QFunction, state: ArrayLike<number>, mask: Uint8Array, epsilon: number, rng: Rng): number {
  if (epsilon > 0 && rng() < epsilon) {
    let allowed = 0;
    for (let a = 0; a < mask.length; a++) allowed += mask[a] ? 1 : 0;
    if (allowed === 0) throw new ValidationError('action mask: expected at least one allowed action, got none');
    let pick = Math.floor(rng() * allowed);
    for (let a = 0; a < mask.length; a++) if (mask[a] && pick-- === 0) return a;
  }
  const a = maskedArgmax(net.forward(state), mask);
  if (a < 0) throw new ValidationError('action mask: expected at least one allowed action, got none');
  return a;
}
