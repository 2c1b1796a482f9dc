/**
 * Small deterministic PRNG (mulberry32) for synthetic scenes, channel presets and simulated loss: same seed ⇒ same sequence on every
 * machine and Node version (pure 32-bit integer arithmetic).
 */
export type Rng = () => number;

/** Returns a function yielding uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform number in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}
