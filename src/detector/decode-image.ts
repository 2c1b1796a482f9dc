import sharp from 'sharp';
import { ValidationError } from '../core/index.js';
import { pixelLimitProblem, readImageHeader } from './image-header.js';

/** A decoded image: packed RGB, possibly reduced from the encoded size (see {@link DecodeImageOptions.fitWithin}). */
export interface DecodedImage {
  readonly rgb: Uint8Array;
  /** Size of `rgb`. */
  readonly width: number;
  readonly height: number;
  /** Size the encoded image declares (equal to width/height unless it was reduced on load). */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
}

/** Options of {@link decodeImage}. */
export interface DecodeImageOptions {
  /**
   * Largest image accepted, pixels (width × height declared by the header, checked before any
   * decoding). Default 16383 × 16383 (sharp's own limit).
   */
  readonly maxPixels?: number;
  /**
   * Decode at a reduced size when the image is at least twice this box on both axes: the result
   * fits inside twice the box (aspect kept). JPEG then uses shrink-on-load (the IDCT decodes at 1/2,
   * 1/4 or 1/8 scale directly), so a large photo costs a fraction of a full decode in time and
   * memory. A detector passes its input size: it resamples to that size anyway.
   */
  readonly fitWithin?: { readonly width: number; readonly height: number };
}

const MAGIC: readonly { name: string; bytes: readonly number[] }[] = [
  { name: 'JPEG', bytes: [0xff, 0xd8, 0xff] },
  { name: 'PNG', bytes: [0x89, 0x50, 0x4e, 0x47] },
];

/** sharp's default `limitInputPixels`. */
const SHARP_DEFAULT_MAX_PIXELS = 16383 * 16383;

/**
 * Decodes JPEG or PNG bytes to RGB with sharp (alpha dropped, EXIF orientation ignored so boxes refer to
 * the stored pixels). Rejects with a ValidationError for other formats, corrupt data, or an image
 * whose header declares more than `maxPixels` (refused before decoding).
 */
export async function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): Promise<DecodedImage> {
  if (bytes.length === 0) throw new ValidationError('image: expected JPEG or PNG bytes, got 0 bytes', { length: 0 });
  const kind = MAGIC.find((m) => m.bytes.every((b, i) => bytes[i] === b));
  if (!kind) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ValidationError(`image: expected JPEG (ff d8 ff) or PNG (89 50 4e 47) bytes, got ${bytes.length} bytes starting ${head}`, { length: bytes.length });
  }
  const header = readImageHeader(bytes);
  if (typeof header === 'string') {
    throw new ValidationError(`image: could not decode ${kind.name} (${bytes.length} bytes): ${header.replace(/^(JPEG|PNG): /, '')}`, { length: bytes.length });
  }
  const maxPixels = options.maxPixels ?? SHARP_DEFAULT_MAX_PIXELS;
  const tooBig = pixelLimitProblem(header.width, header.height, maxPixels);
  if (tooBig) throw new ValidationError(tooBig, { width: header.width, height: header.height, maxPixels });
  const fit = options.fitWithin;
  const reduce = fit !== undefined && header.width >= 2 * fit.width && header.height >= 2 * fit.height;
  try {
    let img = sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels }).removeAlpha();
    if (reduce) img = img.resize({ width: 2 * fit.width, height: 2 * fit.height, fit: 'inside', fastShrinkOnLoad: true });
    const { data, info } = await img.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return {
      rgb: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
      sourceWidth: reduce ? header.width : info.width,
      sourceHeight: reduce ? header.height : info.height,
    };
  } catch (e) {
    throw new ValidationError(`image: could not decode ${kind.name} (${bytes.length} bytes): ${(e as Error).message}`, { length: bytes.length });
  }
}
