import { join } from 'node:path';
import { lastValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource, probeSource, sourceKind } from '../../src/video/index.js';
import { makeIndexClip, tempDir } from './helpers.js';

const tmp = tempDir();
const clip = join(tmp.dir, 'c.mp4');
beforeAll(() => makeIndexClip(clip, { frames: 8 }));
afterAll(() => tmp.cleanup());

describe('openSource', () => {
  it('dispatches by spec', () => {
    expect(sourceKind(clip)).toBe('file');
    expect(sourceKind(tmp.dir)).toBe('images');
    expect(sourceKind('lavfi:testsrc')).toBe('live');
    expect(sourceKind('/dev/video0')).toBe('live');
    expect(sourceKind('rtsp://127.0.0.1/x')).toBe('live');
    expect(sourceKind('http://127.0.0.1/x.mjpg')).toBe('live');
    expect(sourceKind(clip, { loop: true })).toBe('live');
  });

  it('opens a file with options, info and stats', async () => {
    const src = openSource(clip, { everyNth: 3 });
    expect(src.live).toBe(false);
    expect(await src.info()).toMatchObject({ kind: 'file', width: 96, height: 64, fps: 10, frameCount: 3 });
    const frames = await lastValueFrom(src.frames$.pipe(toArray()));
    expect(frames.map((f) => f.index)).toEqual([0, 3, 6]);
    expect(src.stats).toMatchObject({ received: 3, delivered: 3, dropped: 0 });
  });

  it('opens a file as a looping live source', async () => {
    const src = openSource(clip, { loop: true, maxSide: 48 });
    expect(src.live).toBe(true);
    expect(await src.info()).toMatchObject({ kind: 'live', width: 48, height: 32, fps: 10, frameCount: null });
    const frames = await lastValueFrom(src.frames$.pipe(take(2), toArray()));
    expect(frames.map((f) => [f.index, f.width])).toEqual([[0, 48], [1, 48]]);
  });

  it('rejects frame-selection options for live sources', () => {
    expect(() => openSource('lavfi:testsrc', { everyNth: 2 })).toThrow(/everyNth: not supported by live sources/);
  });

  it('probeSource reports files and live graphs', async () => {
    expect(await probeSource(clip)).toMatchObject({ kind: 'file', frameCount: 8, fps: 10 });
    expect(await probeSource('lavfi:testsrc=rate=5:size=64x48')).toMatchObject({ kind: 'live', width: 64, height: 48, fps: 5, frameCount: null });
  });
});
