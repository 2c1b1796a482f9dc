import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageSequenceInfo, imageSequenceSource, openSource, VideoError } from '../../src/video/index.js';
import { indexFrame, levelOf, pixel, tempDir } from './helpers.js';

const tmp = tempDir();
const seq = join(tmp.dir, 'SEQ-01');
const img1 = join(seq, 'img1');
const pngDir = join(tmp.dir, 'png');
const W = 64;
const H = 48;

beforeAll(async () => {
  mkdirSync(img1, { recursive: true });
  mkdirSync(pngDir, { recursive: true });
  writeFileSync(join(seq, 'seqinfo.ini'), '[Sequence]\nname=SEQ-01\nimDir=img1\nframeRate=7\nseqLength=12\n');
  for (let i = 0; i < 12; i++) {
    const raw = { raw: { width: W, height: H, channels: 3 as const } };
    await sharp(Buffer.from(indexFrame(i, W, H)), raw).jpeg({ quality: 95 }).toFile(join(img1, `${String(i + 1).padStart(6, '0')}.jpg`));
    if (i < 5) await sharp(Buffer.from(indexFrame(i, W, H)), raw).png().toFile(join(pngDir, `frame_${i + 10}.png`));
  }
  writeFileSync(join(img1, 'notes.txt'), 'not an image');
});
afterAll(() => tmp.cleanup());

describe('imageSequenceSource', () => {
  it('reads a MOTChallenge folder (img1/000001.jpg…, fps from seqinfo.ini), index = number − 1', async () => {
    const info = await imageSequenceInfo(seq);
    expect(info).toMatchObject({ dir: img1, width: W, height: H, fps: 7, fpsFrom: 'seqinfo.ini', frameCount: 12 });
    const frames = await lastValueFrom(imageSequenceSource(seq).pipe(toArray()));
    expect(frames.map((f) => f.index)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    frames.forEach((f, i) => {
      expect(f.ptsMs).toBeCloseTo((i * 1000) / 7, 6);
      expect(Math.abs(pixel(f.rgb, W, 8, 24)[0] - levelOf(i))).toBeLessThanOrEqual(4);
      const red = pixel(f.rgb, W, 56, 8);
      expect(red[0]).toBeGreaterThan(200);
      expect(red[2]).toBeLessThan(50);
    });
  });

  it('reads PNG files with a prefix, start/end/everyNth and resize', async () => {
    const frames = await lastValueFrom(imageSequenceSource(pngDir, { startFrame: 1, everyNth: 2, resize: { width: 32, height: 24 }, fps: 5 }).pipe(toArray()));
    expect(frames.map((f) => [f.index, f.width, f.height, f.ptsMs])).toEqual([[1, 32, 24, 200], [3, 32, 24, 600]]);
    expect(pixel(frames[1].rgb, 32, 4, 12)[0]).toBe(levelOf(3));
  });

  it('is picked by openSource for folders', async () => {
    const src = openSource(seq, { endFrame: 3 });
    expect(src.kind).toBe('images');
    expect(await src.info()).toMatchObject({ kind: 'images', width: W, height: H, fps: 7, frameCount: 3 });
    const frames = await lastValueFrom(src.frames$.pipe(toArray()));
    expect(frames).toHaveLength(3);
    expect(src.stats).toMatchObject({ delivered: 3, dropped: 0 });
  });

  it('errors clearly on a missing folder or one without numbered images', async () => {
    await expect(imageSequenceInfo(join(tmp.dir, 'nope'))).rejects.toThrow(/nope: not a folder/);
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    const err = await imageSequenceInfo(empty).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VideoError);
    expect((err as Error).message).toMatch(/no numbered JPEG\/PNG files/);
  });
});
