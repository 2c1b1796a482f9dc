import { join } from 'node:path';
import { lastValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../src/core/index.js';
import { liveInputArgs, liveSource, parseLiveSpec, VideoError } from '../../src/video/index.js';
import { blockFor, levelOf, makeIndexClip, pixel, tempDir, waitGone } from './helpers.js';

const tmp = tempDir();
const clip = join(tmp.dir, 'ten.mp4');
beforeAll(() => makeIndexClip(clip, { frames: 10, fps: 10 }));
afterAll(() => tmp.cleanup());

/** Subscribes for `ms` (after the first frame) with an optional synchronous per-frame delay. */
async function collect(spec: string, ms: number, delayMs = 0, options = {}) {
  const src = liveSource(spec, options);
  const frames: Frame[] = [];
  let firstAt = 0;
  const sub = src.frames$.subscribe({
    next: (f) => {
      if (frames.length === 0) firstAt = performance.now();
      frames.push(f);
      if (delayMs) blockFor(delayMs);
    },
  });
  // Wait for the first frame (probe + spawn), then measure a fixed window.
  const startDeadline = Date.now() + 10_000;
  while (frames.length === 0 && Date.now() < startDeadline) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, Math.max(0, ms - (performance.now() - firstAt))));
  const stats = { ...src.stats };
  const windowMs = performance.now() - firstAt; // longer than `ms` when a slow consumer holds the event loop
  const pid = src.stats.pid;
  sub.unsubscribe();
  return { frames, stats, pid, windowMs };
}

describe('parseLiveSpec', () => {
  it.each([
    ['lavfi:testsrc=rate=10', 'lavfi', ['-re', '-f', 'lavfi', '-i', 'testsrc=rate=10']],
    ['loop:/v/a.mp4', 'loop', ['-stream_loop', '-1', '-re', '-i', '/v/a.mp4']],
    ['/dev/video0', 'v4l2', ['-f', 'v4l2', '-i', '/dev/video0']],
    ['rtsp://127.0.0.1:8554/cam', 'rtsp', ['-rtsp_transport', 'tcp', '-i', 'rtsp://127.0.0.1:8554/cam']],
    ['http://127.0.0.1:8080/mjpeg', 'http', ['-i', 'http://127.0.0.1:8080/mjpeg']],
  ])('%s → %s', (spec, kind, args) => {
    const p = parseLiveSpec(spec);
    expect(p.kind).toBe(kind);
    expect(liveInputArgs(p)).toEqual(args);
  });

  it('rejects unknown specs and empty graphs with a clear message', () => {
    expect(() => parseLiveSpec('ftp://x')).toThrow(/expected lavfi:<graph>/);
    expect(() => parseLiveSpec('lavfi:')).toThrow(/expected a lavfi graph/);
  });
});

describe('liveSource', () => {
  it('delivers lavfi:testsrc frames in real time (rate 10 for 1.5 s ≈ 15 frames)', async () => {
    const { frames, stats, pid } = await collect('lavfi:testsrc=rate=10:size=160x120', 1500);
    // ffmpeg delivers in real time: ~15 frames read in the 1.5 s window.
    expect(stats.received).toBeGreaterThanOrEqual(12);
    expect(stats.received).toBeLessThanOrEqual(18);
    // A fast consumer gets (nearly) all of them; a heavily loaded CI box may drop one or two.
    expect(stats.dropped).toBeLessThanOrEqual(2);
    expect(frames.length).toBeGreaterThanOrEqual(stats.received - stats.dropped - 1);
    expect(frames.every((f, i) => i === 0 || f.index > frames[i - 1].index)).toBe(true);
    expect([frames[0].width, frames[0].height, frames[0].rgb.length]).toEqual([160, 120, 160 * 120 * 3]);
    const last = frames[frames.length - 1];
    expect(last.ptsMs / last.index).toBeGreaterThan(70);
    expect(last.ptsMs / last.index).toBeLessThan(130);
    expect(await waitGone(pid!)).toBe(true);
  });

  it('drops (latest frame wins) and counts drops when the consumer is slower than the source', async () => {
    const { frames, stats, pid, windowMs } = await collect('lavfi:testsrc=rate=20:size=160x120', 1600, 250);
    expect(stats.dropped).toBeGreaterThan(5);
    expect(stats.delivered).toBe(frames.length);
    expect(stats.delivered).toBeLessThan(stats.received);
    // roughly: received ≈ 20 fps × window; delivered ≈ window / 250 ms (the window as it really lasted:
    // on a loaded machine the consumer's last 250 ms block ends it late)
    expect(stats.received).toBeGreaterThanOrEqual(20);
    expect(frames.length).toBeLessThanOrEqual(Math.ceil(windowMs / 250) + 2);
    expect(frames.length).toBeLessThan(stats.received / 2);
    // Indices increase with gaps; each delivered frame is the newest one, so gaps ≈ 250 ms / 50 ms.
    const gaps = frames.slice(1).map((f, i) => f.index - frames[i].index);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(3);
    expect(await waitGone(pid!)).toBe(true);
  });

  it('loops a file in real time with loop:', async () => {
    const { frames, stats, pid } = await collect(`loop:${clip}`, 1600);
    expect(stats.received).toBeGreaterThan(12); // more than the clip's 10 frames
    expect(stats.received).toBeLessThanOrEqual(20);
    // frame k of the stream shows clip frame k mod 10
    for (const f of frames) {
      const [g] = pixel(f.rgb, f.width, 10, 32);
      expect(Math.abs(g - levelOf(f.index % 10))).toBeLessThanOrEqual(6);
    }
    expect(await waitGone(pid!)).toBe(true);
  });

  it('resizes and completes when a finite lavfi graph ends', async () => {
    const src = liveSource('lavfi:testsrc=rate=25:size=320x240:duration=0.4', { maxSide: 80 });
    const frames = await lastValueFrom(src.frames$.pipe(toArray()));
    expect(src.stats.received).toBe(10);
    expect(frames.length + src.stats.dropped).toBe(10);
    expect(frames[frames.length - 1].index).toBe(9); // the latest frame always wins, also at the end
    expect([frames[0].width, frames[0].height]).toEqual([80, 60]);
  });

  it('take(n) unsubscribes and kills the child', async () => {
    let pid: number | undefined;
    const frames = await lastValueFrom(liveSource('lavfi:testsrc=rate=30', { onSpawn: (p) => { pid = p; } }).frames$.pipe(take(3), toArray()));
    expect(frames).toHaveLength(3);
    expect(await waitGone(pid!)).toBe(true);
  });

  it('errors with the spec and ffmpeg stderr tail for a bad graph', async () => {
    const probeErr = await lastValueFrom(liveSource('lavfi:nosuchfilter=1').frames$).catch((e: unknown) => e);
    expect(probeErr).toBeInstanceOf(VideoError);
    expect((probeErr as Error).message).toContain('nosuchfilter');
    const err = await lastValueFrom(liveSource('lavfi:nosuchfilter=1', { input: { width: 32, height: 32, fps: 10 } }).frames$).catch((e: unknown) => e);
    expect((err as VideoError).code).toBe('SOURCE_FAILED');
    expect((err as Error).message).toContain('lavfi:nosuchfilter=1');
    expect((err as VideoError).info.stderrTail).toMatch(/nosuchfilter/i);
  });
});
