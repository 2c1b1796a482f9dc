import { copyFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../src/core/index.js';
import { fileFrames, fileSource, fileSourceInfo, probeVideo, runningFfPids, VideoError } from '../../src/video/index.js';
import { decodeLevel, levelOf, makeIndexClip, pixel, rotateClip, tempDir, waitGone } from './helpers.js';

const N = 40;
const tmp = tempDir();
const clip = join(tmp.dir, 'index.mp4');
const lossless = join(tmp.dir, 'index.mkv');
const long = join(tmp.dir, 'long.mp4');
const rotated = join(tmp.dir, 'rotated.mp4');

beforeAll(async () => {
  await Promise.all([
    makeIndexClip(clip, { frames: N }),
    makeIndexClip(lossless, { frames: 12, codec: 'ffv1' }),
    makeIndexClip(long, { frames: 400, width: 320, height: 240 }),
  ]);
  await rotateClip(clip, rotated);
});
afterAll(() => tmp.cleanup());

/** Checks that `f` shows synthetic frame `i` (grey level on the left, red/blue on the right). */
function expectIndexFrame(f: Frame, i: number): void {
  const [g] = pixel(f.rgb, f.width, Math.floor(f.width / 4), Math.floor(f.height / 2));
  expect(Math.abs(g - levelOf(i)), `frame ${i}: grey ${g} vs ${levelOf(i)}`).toBeLessThanOrEqual(6);
  const red = pixel(f.rgb, f.width, Math.floor((3 * f.width) / 4), Math.floor(f.height / 4));
  const blue = pixel(f.rgb, f.width, Math.floor((3 * f.width) / 4), Math.floor((3 * f.height) / 4));
  expect(red[0]).toBeGreaterThan(200);
  expect(red[2]).toBeLessThan(60);
  expect(blue[2]).toBeGreaterThan(200);
  expect(blue[0]).toBeLessThan(60);
}

describe('probeVideo', () => {
  it('reports fps, size, frame count, duration and codec', async () => {
    const info = await probeVideo(clip);
    expect(info).toMatchObject({ fps: 10, width: 96, height: 64, frameCount: N, codec: 'h264', durationMs: 4000 });
  });

  it('counts packets when the container has no frame count (mkv)', async () => {
    const info = await probeVideo(lossless);
    expect(info.frameCount).toBe(12);
    expect(info.codec).toBe('ffv1');
  });

  it('probes a file once while it stays the same, again once it changes', async () => {
    const copy = join(tmp.dir, 'cached.mp4');
    copyFileSync(clip, copy);
    const first = await probeVideo(copy);
    expect(await probeVideo(copy)).toBe(first); // the same object: no second ffprobe
    expect(await probeVideo(copy, { countFrames: false })).not.toBe(first); // other options, other entry
    copyFileSync(long, copy); // replaced by another clip
    const changed = await probeVideo(copy);
    expect(changed).toMatchObject({ width: 320, height: 240, frameCount: 400 });
    utimesSync(copy, new Date(), new Date(Date.now() + 5000)); // touched only
    const touched = await probeVideo(copy);
    expect(touched).not.toBe(changed);
    expect(touched).toEqual(changed);
  });

  it('names the path and ffprobe stderr for a missing file', async () => {
    const missing = join(tmp.dir, 'missing.mp4');
    const err = await probeVideo(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VideoError);
    expect((err as VideoError).code).toBe('INPUT_NOT_FOUND');
    expect((err as VideoError).message).toContain(missing);
    expect((err as VideoError).message).toMatch(/No such file or directory/);
  });
});

describe('a clip with a display rotation (phone video shot upright)', () => {
  it('probes with the decoded (rotated) size and the rotation', async () => {
    const info = await probeVideo(rotated);
    expect(Math.abs(info.rotation) % 180).toBe(90);
    expect(info).toMatchObject({ width: 64, height: 96, frameCount: N });
  });

  it('decodes frames of that size showing the picture turned by a quarter, not rows cut at the wrong width', async () => {
    const frames = await lastValueFrom(fileSource(rotated, { endFrame: 3 }).pipe(toArray()));
    expect(frames.map((f) => [f.width, f.height, f.rgb.length])).toEqual([[64, 96, 64 * 96 * 3], [64, 96, 64 * 96 * 3], [64, 96, 64 * 96 * 3]]);
    // coded 96x64: grey left half, red top-right, blue bottom-right. Turned clockwise: grey on top, red
    // bottom-right, blue bottom-left; counter-clockwise: grey at the bottom, red top-left, blue top-right
    const f = frames[2];
    const grey = (x: number, y: number) => Math.abs(pixel(f.rgb, 64, x, y)[0] - levelOf(2)) <= 6 && Math.abs(pixel(f.rgb, 64, x, y)[2] - levelOf(2)) <= 6;
    const red = (x: number, y: number) => pixel(f.rgb, 64, x, y)[0] > 200 && pixel(f.rgb, 64, x, y)[2] < 60;
    const blue = (x: number, y: number) => pixel(f.rgb, 64, x, y)[2] > 200 && pixel(f.rgb, 64, x, y)[0] < 60;
    const clockwise = grey(32, 20) && red(48, 75) && blue(16, 75);
    const counter = grey(32, 75) && red(16, 20) && blue(48, 20);
    expect(clockwise || counter, `pixels (32,20) ${pixel(f.rgb, 64, 32, 20)} (48,75) ${pixel(f.rgb, 64, 48, 75)} (16,75) ${pixel(f.rgb, 64, 16, 75)}`).toBe(true);
  });
});

describe('fileSource', () => {
  it('yields exactly the frame count, with size, index, ptsMs and pixel content', async () => {
    const frames = await lastValueFrom(fileSource(clip).pipe(toArray()));
    expect(frames).toHaveLength(N);
    frames.forEach((f, i) => {
      expect(f.index).toBe(i);
      expect(f.ptsMs).toBeCloseTo(i * 100, 6);
      expect([f.width, f.height, f.rgb.length]).toEqual([96, 64, 96 * 64 * 3]);
      expectIndexFrame(f, i);
      expect(Object.isFrozen(f)).toBe(true);
    });
    // each frame owns its pixels
    expect(frames[0].rgb.buffer).not.toBe(frames[1].rgb.buffer);
  });

  it('decodes a lossless clip exactly', async () => {
    const frames = await lastValueFrom(fileSource(lossless).pipe(toArray()));
    expect(frames.map((f) => f.rgb[0])).toEqual(Array.from({ length: 12 }, (_, i) => levelOf(i)));
  });

  it('applies startFrame, endFrame (exclusive) and everyNth', async () => {
    const frames = await lastValueFrom(fileSource(clip, { startFrame: 5, endFrame: 20, everyNth: 4 }).pipe(toArray()));
    expect(frames.map((f) => f.index)).toEqual([5, 9, 13, 17]);
    frames.forEach((f) => expectIndexFrame(f, f.index));
    const candidates = Array.from({ length: N }, (_, i) => i);
    expect(frames.map((f) => decodeLevel(f.rgb[(32 * 96 + 10) * 3], candidates))).toEqual([5, 9, 13, 17]);
    const info = await fileSourceInfo(clip, { startFrame: 5, endFrame: 20, everyNth: 4 });
    expect(info.frameCount).toBe(4);
  });

  it('stops at the end of the file when endFrame is past it', async () => {
    const frames = await lastValueFrom(fileSource(clip, { startFrame: 35, endFrame: 1000 }).pipe(toArray()));
    expect(frames.map((f) => f.index)).toEqual([35, 36, 37, 38, 39]);
  });

  it('resizes to an exact size or a max side', async () => {
    const exact = await firstValueFrom(fileSource(clip, { resize: { width: 48, height: 40 } }));
    expect([exact.width, exact.height, exact.rgb.length]).toEqual([48, 40, 48 * 40 * 3]);
    expectIndexFrame(exact, 0);
    const bounded = await firstValueFrom(fileSource(clip, { maxSide: 48, startFrame: 3 }));
    expect([bounded.width, bounded.height, bounded.index]).toEqual([48, 32, 3]);
    expectIndexFrame(bounded, 3);
  });

  it('rejects contradictory or invalid options with the field name', async () => {
    await expect(fileSourceInfo(clip, { resize: { width: 10, height: 10 }, maxSide: 5 })).rejects.toThrow(/either resize or maxSide/);
    await expect(fileSourceInfo(clip, { everyNth: 0 })).rejects.toThrow(/fileSource.everyNth: expected an integer ≥ 1, got 0/);
    await expect(fileSourceInfo(clip, { startFrame: 9, endFrame: 3 })).rejects.toThrow(/endFrame/);
  });

  it('kills ffmpeg when unsubscribed mid-stream', async () => {
    let pid: number | undefined;
    const got = await lastValueFrom(fileSource(long, { onSpawn: (p) => { pid = p; } }).pipe(take(3), toArray()));
    expect(got.map((f) => f.index)).toEqual([0, 1, 2]);
    expect(pid).toBeTypeOf('number');
    expect(await waitGone(pid!)).toBe(true);
    expect(runningFfPids()).not.toContain(pid);
  });

  it('kills ffmpeg when a pull-based loop breaks early', async () => {
    let pid: number | undefined;
    let n = 0;
    for await (const f of fileFrames(long, { onSpawn: (p) => { pid = p; } })) {
      expect(f.index).toBe(n);
      if (++n === 2) break;
    }
    expect(await waitGone(pid!)).toBe(true);
  });

  it('errors with the path and ffmpeg stderr tail for a missing file', async () => {
    const missing = join(tmp.dir, 'nope', 'missing.mp4');
    const err = await lastValueFrom(fileSource(missing)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VideoError);
    expect(String((err as Error).message)).toContain(missing);
    expect((err as VideoError).info.stderrTail).toMatch(/No such file or directory/);
  });

  it('errors with the path and stderr tail for a corrupt file (probe and decode)', async () => {
    const corrupt = join(tmp.dir, 'corrupt.mp4');
    writeFileSync(corrupt, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    const err = await lastValueFrom(fileSource(corrupt)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VideoError);
    expect((err as VideoError).code).toBe('PROBE_FAILED');
    expect((err as Error).message).toContain(corrupt);
    expect((err as Error).message).toMatch(/Invalid data|moov atom not found/);
    // Bypass the probe: ffmpeg itself must fail with its own stderr.
    const info = await probeVideo(clip);
    const err2 = await lastValueFrom(fileSource(corrupt, { info: { ...info, path: corrupt } })).catch((e: unknown) => e);
    expect((err2 as VideoError).code).toBe('DECODE_FAILED');
    expect((err2 as Error).message).toContain(corrupt);
    expect((err2 as VideoError).info.stderrTail).toMatch(/Invalid data|moov atom not found/);
  });
});
