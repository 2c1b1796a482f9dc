/**
 * Seed derivation: every episode's randomness comes from its own 32-bit seed computed from the run seed,
 * a stream id (training, validation, …) and the episode index, so results do not depend on which worker
 * ran the episode or in which order episodes finished.
 */

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Seed streams of a training run. */
export const SEED_STREAM = Object.freeze({ init: 1, train: 2, validation: 3, replay: 4, order: 5, actions: 6 });

/** A 32-bit seed for item `index` of stream `stream` of a run seeded `seed`. */
export function deriveSeed(seed: number, stream: number, index = 0): number {
  let h = fmix32((seed >>> 0) ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(stream >>> 0, 0x27d4eb2d));
  return fmix32(h ^ Math.imul((index >>> 0) + 1, 0x165667b1));
}
