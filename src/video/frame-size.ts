import { ValidationError, requireInteger } from '../core/index.js';

/** Output size request: an exact size, or a bound on the longer side (aspect kept, never upscaled). */
export interface ResizeOptions {
  /** Exact output size in pixels. */
  readonly resize?: { readonly width: number; readonly height: number };
  /** Scale down so that max(width, height) ≤ maxSide (px), keeping the aspect ratio. */
  readonly maxSide?: number;
}

/**
 * Computes the output size for a `width`×`height` input. Throws a ValidationError when both
 * `resize` and `maxSide` are given or a value is not a positive integer.
 */
export function outputSize(width: number, height: number, options: ResizeOptions, field = 'options'): { width: number; height: number } {
  const { resize, maxSide } = options;
  if (resize !== undefined && maxSide !== undefined) {
    throw new ValidationError(`${field}: expected either resize or maxSide, got both`, { field });
  }
  if (resize !== undefined) {
    requireInteger(resize?.width, `${field}.resize.width`, 1);
    requireInteger(resize?.height, `${field}.resize.height`, 1);
    return { width: resize.width, height: resize.height };
  }
  if (maxSide !== undefined) {
    requireInteger(maxSide, `${field}.maxSide`, 1);
    const scale = Math.min(1, maxSide / Math.max(width, height));
    return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
  }
  return { width, height };
}
