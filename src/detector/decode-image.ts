import sharp from 'sharp';
import { ValidationError } from '../core/index.js';

/** A decoded image: packed RGB. */
export interface DecodedImage {
  readonly rgb: Uint8Array;
  readonly width: number;
  readonly height: number;
}

const MAGIC: readonly { name: string; bytes: readonly number[] }[] = [
  { name: 'JPEG', bytes: [0xff, 0xd8, 0xff] },
  { name: 'PNG', bytes: [0x89, 0x50, 0x4e, 0x47] },
];

/**
 * Decodes JPEG or PNG bytes to RGB with sharp (alpha dropped, EXIF orientation ignored so boxes refer to
 * the stored pixels). Rejects with a ValidationError for other formats or corrupt data.
 */
export async function decodeImage(bytes: Uint8Array): Promise<DecodedImage> {
  if (bytes.length === 0) throw new ValidationError('image: expected JPEG or PNG bytes, got 0 bytes', { length: 0 });
  const kind = MAGIC.find((m) => m.bytes.every((b, i) => bytes[i] === b));
  if (!kind) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ValidationError(`image: expected JPEG (ff d8 ff) or PNG (89 50 4e 47) bytes, got ${bytes.length} bytes starting ${head}`, { length: bytes.length });
  }
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (e) {
    throw new ValidationError(`image: could not decode ${kind.name} (${bytes.length} bytes): ${(e as Error).message}`, { length: bytes.length });
  }
}
