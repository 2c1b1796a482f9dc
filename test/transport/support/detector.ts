/**
 * The detector the transport tests serve: the product's default detector
 * (`Detector.create({ model: 'nanodet' })` from src/detector, prepared from npm, no ../shared needed).
 * Shared by the tests of one file and closed in afterAll.
 */
import sharp from 'sharp';
import { afterAll, beforeAll } from 'vitest';
import type { ObjectDetector } from '../../../src/core/index.js';
import { Detector } from '../../../src/detector/index.js';

/** The real default detector (NanoDet). */
export async function createTestDetector(): Promise<ObjectDetector> {
  return Detector.create({ model: 'nanodet' });
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

/**
 * Registers beforeAll/afterAll for a test file: the real default detector, warmed up on `tinyJpeg(seed)`,
 * closed after the file. Read `fixture.detector` and `fixture.jpeg` inside tests.
 */
export function useWarmTestDetector(seed: number): { readonly detector: ObjectDetector; readonly jpeg: Uint8Array } {
  const fixture = {} as { detector: ObjectDetector; jpeg: Uint8Array };
  beforeAll(async () => {
    fixture.detector = await createTestDetector();
    fixture.jpeg = await tinyJpeg(seed);
    await fixture.detector.detect(fixture.jpeg); // warm up
  }, 120_000);
  afterAll(async () => {
    await fixture.detector?.close();
  });
  return fixture;
}
