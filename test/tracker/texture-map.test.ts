import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/prng.js';
import { textureByte, textureBytes } from '../../src/tracker/texture-map.js';

/** The original per-cell formula of the motion estimator. */
const reference = (v: number): number => Math.min(255, Math.round(2048 * Math.sqrt(Math.max(0, v))));

describe('textureBytes', () => {
  it('gives the bytes of the per-cell formula for random float32 bit patterns, every pattern near each byte step, and special values', () => {
    const rng = mulberry32(13);
    const n = 400_000;
    const bits = new Uint32Array(n + 4096);
    for (let i = 0; i < n; i++) bits[i] = Math.floor(rng() * 0x1_0000_0000) >>> 0;
    // patterns around every step of the byte: v = ((k − 0.5) / 2048)², k = 1..255, ± a few ulps
    let o = n;
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    for (let k = 1; k <= 255 && o + 16 <= bits.length; k++) {
      f[0] = ((k - 0.5) / 2048) ** 2;
      for (let d = -6; d <= 6; d++) bits[o++] = u[0] + d;
    }
    const specials = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 1, 0x007fffff, 0x00800000, 0x3f800000, 0x7f7fffff];
    for (const s of specials) bits[o++] = s;
    const eig = new Float32Array(bits.buffer, 0, o);
    const out = new Uint8Array(o);
    textureBytes(eig, out);
    for (let i = 0; i < o; i++) {
      const want = new Uint8Array([reference(eig[i])])[0]; // as the Uint8Array store of the original
      if (out[i] !== want) expect(`${i}: pattern 0x${bits[i].toString(16)} gave ${out[i]}`).toBe(`${i}: pattern 0x${bits[i].toString(16)} gave ${want}`);
      if (textureByte(eig[i]) !== want && !Number.isNaN(eig[i])) expect(textureByte(eig[i])).toBe(want);
    }
  });

  it('reads unaligned input and rejects an output of the wrong length', () => {
    const buf = new ArrayBuffer(4 * 11);
    const eig = new Float32Array(buf, 4, 10);
    eig.set([0, 1e-6, 2.5e-4, 1e-2, -3, 1, 5e-5, 7e-7, 0.0001, 3e-3]);
    const out = new Uint8Array(10);
    textureBytes(eig, out);
    expect([...out]).toEqual([...eig].map(reference));
    expect(() => textureBytes(eig, new Uint8Array(3))).toThrow(/expected an output of 10 bytes, got 3/);
  });
});
