/**
 * The motion between two frames as the track logic needs it, independent of any track: a dense flow
 * field on the processing grid (one cell per processing pixel), a texture (flow reliability) map, the
 * tiny grayscale image of the later frame, and a global (camera) motion estimate. Compact typed
 * arrays, serialisable with {@link encodeFrameMotion} / {@link decodeFrameMotion} so that a simulator
 * can cache the motion of every frame pair on disk and drive {@link TrackerCore} without pixels.
 */

/** Flow vectors are stored as Int16 in units of 1/FLOW_UNITS processing px. */
export const FLOW_UNITS = 16;
const MAGIC = 0x46_4d_54_31; // "FMT1"
const HEADER_BYTES = 64;

/** Dense motion from frame `from` to frame `to` (see module doc). Immutable by convention. */
export interface FrameMotion {
  /** Frame indices of the pair (from < to). */
  readonly from: number;
  readonly to: number;
  /** Grid size (cells = processing px). */
  readonly width: number;
  readonly height: number;
  /** Processing px per frame px (the grid is the frame scaled by this factor). */
  readonly scale: number;
  /** Flow per cell, x,y interleaved, row-major, in 1/FLOW_UNITS processing px. */
  readonly flow: Int16Array;
  /** Texture per cell (0..255, scaled sqrt of the min eigenvalue of the structure tensor, the lower of the two frames'): low = flow unreliable. */
  readonly texture: Uint8Array;
  /** Grayscale processing image of frame `to` (width*height bytes), for appearance checks. */
  readonly gray: Uint8Array;
  /** Grayscale processing image of frame `from`. */
  readonly grayFrom: Uint8Array;
  /** Global (camera) motion in processing px: median flow over textured cells. */
  readonly globalDx: number;
  readonly globalDy: number;
  /** Share of cells that were textured enough to enter the global estimate, in [0, 1]. */
  readonly globalSupport: number;
}

/** Serialises a motion to bytes (little-endian; version 1). */
export function encodeFrameMotion(m: FrameMotion): Uint8Array {
  const cells = m.width * m.height;
  const out = new Uint8Array(HEADER_BYTES + cells * 7);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, m.from, true);
  dv.setUint32(8, m.to, true);
  dv.setUint32(12, m.width, true);
  dv.setUint32(16, m.height, true);
  dv.setFloat64(24, m.scale, true);
  dv.setFloat64(32, m.globalDx, true);
  dv.setFloat64(40, m.globalDy, true);
  dv.setFloat64(48, m.globalSupport, true);
  new Int16Array(out.buffer, HEADER_BYTES, cells * 2).set(m.flow);
  out.set(m.texture, HEADER_BYTES + cells * 4);
  out.set(m.gray, HEADER_BYTES + cells * 5);
  out.set(m.grayFrom, HEADER_BYTES + cells * 6);
  return out;
}

/** Restores a motion written by {@link encodeFrameMotion}; throws naming the problem for bad bytes. */
export function decodeFrameMotion(bytes: Uint8Array): FrameMotion {
  if (bytes.byteLength < HEADER_BYTES) throw new Error(`decodeFrameMotion: expected ≥ ${HEADER_BYTES} bytes, got ${bytes.byteLength}`);
  const buf = bytes.slice(); // aligned private copy
  const dv = new DataView(buf.buffer);
  const magic = dv.getUint32(0, true);
  if (magic !== MAGIC) throw new Error(`decodeFrameMotion: expected magic 0x${MAGIC.toString(16)}, got 0x${magic.toString(16)}`);
  const width = dv.getUint32(12, true);
  const height = dv.getUint32(16, true);
  const cells = width * height;
  const expected = HEADER_BYTES + cells * 7;
  if (bytes.byteLength !== expected) throw new Error(`decodeFrameMotion: expected ${expected} bytes for ${width}x${height}, got ${bytes.byteLength}`);
  return Object.freeze({
    from: dv.getUint32(4, true),
    to: dv.getUint32(8, true),
    width,
    height,
    scale: dv.getFloat64(24, true),
    globalDx: dv.getFloat64(32, true),
    globalDy: dv.getFloat64(40, true),
    globalSupport: dv.getFloat64(48, true),
    flow: new Int16Array(buf.buffer, HEADER_BYTES, cells * 2),
    texture: new Uint8Array(buf.buffer, HEADER_BYTES + cells * 4, cells),
    gray: new Uint8Array(buf.buffer, HEADER_BYTES + cells * 5, cells),
    grayFrom: new Uint8Array(buf.buffer, HEADER_BYTES + cells * 6, cells),
  });
}
