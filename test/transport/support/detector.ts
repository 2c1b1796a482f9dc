/**
 * The detector the transport tests serve: the product's default detector
 * (`Detector.create({ model: 'nanodet' })` from src/detector). Shared by the tests of one file and
 * closed in afterAll.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { ObjectDetector } from '../../../src/core/index.js';
import { createDevYolox } from './dev-yolox.js';

const YOLOX = fileURLToPath(new URL('../../../../shared/data/models/yolox_nano_320.onnx', import.meta.url));

/** The real default detector; while src/detector is not yet there, the dev YOLOX one (needs ../shared). */
export async function createTestDetector(): Promise<ObjectDetector> {
  const path = '../../../src/detector/index.js';
  try {
    const mod = (await import(path)) as { Detector: { create(o: Record<string, unknown>): Promise<ObjectDetector> } };
    return await mod.Detector.create({ model: 'nanodet' });
  } catch (err) {
    if (!existsSync(YOLOX)) throw err;
    return createDevYolox(YOLOX, 320, 'nanodet');
  }
}

/** A small JPEG (default 160x120) whose pixels encode `seed`; different seeds → different bytes. */
export async function tinyJpeg(seed = 0, width = 160, height = 120): Promise<Uint8Array> {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inBox = x > width / 4 && x < (3 * width) / 4 && y > height / 6 && y < (5 * height) / 6;
      rgb[i] = inBox ? 40 : (x * 2 + seed * 17) & 0xff;
      rgb[i + 1] = inBox ? 40 : (y * 2 + seed * 31) & 0xff;
      rgb[i + 2] = inBox ? 60 : 128;
    }
  }
  return new Uint8Array(await sharp(rgb, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer());
}
