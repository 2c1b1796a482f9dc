/**
 * The texture byte of a cell from its minimum structure-tensor eigenvalue (a float32 from OpenCV's
 * cornerMinEigenVal): `min(255, round(TEXTURE_GAIN · sqrt(v)))` for v > 0, else 0. {@link textureBytes}
 * gives exactly these bytes without a square root per cell: the byte is a non-decreasing function of
 * the float's bit pattern, so a table over the top 16 bits (built once from {@link textureByte} itself)
 * holds each bucket's byte and the first pattern where it steps up; the rare bucket with more than one
 * step, and NaN and infinity, go to {@link textureByte}.
 */

/** Texture byte = min(255, round(TEXTURE_GAIN * sqrt(min eigenvalue))) (cornerMinEigenVal, block 3, Sobel 3). */
export const TEXTURE_GAIN = 2048;

/** The texture byte of one eigenvalue (the definition). */
export function textureByte(v: number): number {
  return v > 0 ? Math.min(255, Math.round(TEXTURE_GAIN * Math.sqrt(v))) : 0;
}

/** Float32 patterns from 0x7f800000 (infinity, then NaNs) are not in the table. */
const TABLE_BUCKETS = 0x7f80;
const NEVER = 0xffffffff;
let base: Uint8Array | undefined;
let step: Uint32Array | undefined;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function byteOfPattern(u: number): number {
  u32[0] = u;
  return textureByte(f32[0]);
}

function buildTable(): void {
  base = new Uint8Array(TABLE_BUCKETS);
  step = new Uint32Array(TABLE_BUCKETS);
  for (let b = 0; b < TABLE_BUCKETS; b++) {
    const first = b * 0x10000;
    const last = first + 0xffff;
    const lo = byteOfPattern(first);
    const hi = byteOfPattern(last);
    base[b] = lo;
    if (hi === lo) {
      step[b] = NEVER;
    } else if (hi === lo + 1) {
      // first pattern with byte lo + 1 (the byte is non-decreasing in the pattern)
      let a = first;
      let z = last;
      while (a < z) {
        const mid = a + Math.floor((z - a) / 2);
        if (byteOfPattern(mid) > lo) z = mid;
        else a = mid + 1;
      }
      step[b] = a;
    } else {
      step[b] = 0; // several steps: computed per value
    }
  }
}

/**
 * Writes the texture byte of every eigenvalue in `eig` to `out` (same length): the same bytes as
 * {@link textureByte} per value.
 */
export function textureBytes(eig: Float32Array, out: Uint8Array): void {
  if (out.length !== eig.length) throw new RangeError(`textureBytes: expected an output of ${eig.length} bytes, got ${out.length}`);
  if (!base || !step) buildTable();
  const b0 = base!;
  const s0 = step!;
  const bits = eig.byteOffset % 4 === 0 ? new Uint32Array(eig.buffer, eig.byteOffset, eig.length) : new Uint32Array(eig.slice().buffer);
  for (let i = 0; i < bits.length; i++) {
    const u = bits[i];
    if (u >= 0x80000000) {
      out[i] = 0; // negative, −0 or a negative NaN: not > 0
      continue;
    }
    const b = u >>> 16;
    if (b >= TABLE_BUCKETS) {
      out[i] = textureByte(eig[i]);
      continue;
    }
    const s = s0[b];
    out[i] = s === 0 ? textureByte(eig[i]) : b0[b] + (u >= s ? 1 : 0);
  }
}
