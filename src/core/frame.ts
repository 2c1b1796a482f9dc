import { ValidationError, requireFinite, requireInteger } from './errors.js';

/**
 * One decoded video frame: packed RGB, 8 bits per channel, row-major, no padding. Immutable by
 * convention (the pixel buffer must never be written after creation).
 */
export interface Frame {
  /** 0-based index in the source (after start/every-nth selection: index of the source frame). */
  readonly index: number;
  /** Presentation time in milliseconds from the start of the source. */
  readonly ptsMs: number;
  readonly width: number;
  readonly height: number;
  /** width × height × 3 bytes, RGB order. */
  readonly rgb: Uint8Array;
}

/** Creates a frozen frame, checking that the buffer length matches width × height × 3. */
export function makeFrame(index: number, ptsMs: number, width: number, height: number, rgb: Uint8Array): Frame {
  requireInteger(index, 'frame.index', 0);
  requireFinite(ptsMs, 'frame.ptsMs');
  requireInteger(width, 'frame.width', 1);
  requireInteger(height, 'frame.height', 1);
  const expected = width * height * 3;
  if (!(rgb instanceof Uint8Array) || rgb.length !== expected) {
    throw new ValidationError(
      `frame.rgb: expected ${expected} bytes (${width}x${height}x3), got ${rgb instanceof Uint8Array ? rgb.length : typeof rgb}`,
      { field: 'frame.rgb', expected, got: rgb?.length },
    );
  }
  return Object.freeze({ index, ptsMs, width, height, rgb });
}
