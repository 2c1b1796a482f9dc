/**
 * Reads the pixel size an encoded image declares, from its header only (no decoding, no
 * allocation): the guard that lets a server refuse a "decompression bomb" — a small file declaring
 * an enormous raster — before handing it to a decoder. Pure; safe to import from code that must not
 * load sharp or onnxruntime.
 */

/** Format and declared size of an encoded image. */
export interface ImageHeader {
  readonly format: 'jpeg' | 'png';
  readonly width: number;
  readonly height: number;
}

/** 4K UHD, 3840×2160 = 8,294,400 pixels: the default largest image the edge server decodes. */
export const DEFAULT_MAX_IMAGE_PIXELS = 3840 * 2160;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The declared format and size of JPEG or PNG bytes, or a string saying why they cannot be read
 * (not JPEG/PNG, no frame header before the scan data, a zero dimension, truncated header).
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader | string {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return readJpeg(bytes);
  if (bytes.length >= 4 && PNG_SIGNATURE.slice(0, 4).every((b, i) => bytes[i] === b)) return readPng(bytes);
  return 'expected JPEG (FF D8 FF) or PNG (89 50 4E 47) bytes';
}

function readPng(b: Uint8Array): ImageHeader | string {
  // signature (8) + IHDR length (4) + "IHDR" (4) + width (4) + height (4)
  if (b.length < 24) return `PNG: header truncated (${b.length} bytes)`;
  if (!PNG_SIGNATURE.every((x, i) => b[i] === x)) return 'PNG: bad signature';
  if (b[12] !== 0x49 || b[13] !== 0x48 || b[14] !== 0x44 || b[15] !== 0x52) return 'PNG: first chunk is not IHDR';
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  if (width === 0 || height === 0) return `PNG: declares ${width}x${height}`;
  return { format: 'png', width, height };
}

/** SOFn markers (C0–CF) except DHT (C4), JPG (C8) and DAC (CC) carry the frame size. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function readJpeg(b: Uint8Array): ImageHeader | string {
  let i = 2;
  while (i < b.length) {
    if (b[i] !== 0xff) return `JPEG: expected a marker at byte ${i}, got 0x${b[i].toString(16)}`;
    while (i < b.length && b[i] === 0xff) i++; // fill bytes
    if (i >= b.length) break;
    const marker = b[i++];
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd9 || marker === 0xda) return 'JPEG: no frame header (SOF) before the image data';
    if (i + 2 > b.length) break;
    const length = (b[i] << 8) | b[i + 1];
    if (length < 2) return `JPEG: segment 0x${marker.toString(16)} has length ${length}`;
    if (isStartOfFrame(marker)) {
      if (i + 7 > b.length) break;
      const height = (b[i + 3] << 8) | b[i + 4];
      const width = (b[i + 5] << 8) | b[i + 6];
      if (width === 0 || height === 0) return `JPEG: declares ${width}x${height}`;
      return { format: 'jpeg', width, height };
    }
    i += length;
  }
  return `JPEG: header truncated (${b.length} bytes, no frame header found)`;
}

function u32be(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/**
 * Why an image of `width`×`height` is refused under `maxPixels`, or null when it fits. The message
 * names both sizes and the limit.
 */
export function pixelLimitProblem(width: number, height: number, maxPixels: number): string | null {
  const pixels = width * height;
  if (pixels <= maxPixels) return null;
  return `image: declares ${width}x${height} = ${(pixels / 1e6).toFixed(1)} MP, over the limit of ${maxPixels} pixels (${(maxPixels / 1e6).toFixed(1)} MP)`;
}
