import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/index.js';
import { FrameBuffer } from '../../src/tracker/frame-buffer.js';
import { DEFAULT_TRACKER_OPTIONS, MultiTracker, loadOpenCv, resolveTrackerOptions } from '../../src/tracker/index.js';
import { renderScene } from '../../src/video/synthetic/scene.js';
import { truthDetections } from './helpers.js';

const open: MultiTracker[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.close();
});

describe('tracker options', () => {
  it('defaults are valid and frozen', () => {
    const o = resolveTrackerOptions();
    expect(o).toEqual(DEFAULT_TRACKER_OPTIONS);
    expect(Object.isFrozen(o)).toBe(true);
  });
  it.each([
    [{ processingScale: 0 }, /tracker.processingScale: expected a number in \(0, 1\], got 0/],
    [{ maxSide: 10 }, /tracker.maxSide: expected an integer in \[32,/],
    [{ flowWinSize: 12 }, /tracker.flowWinSize: expected an odd integer, got 12/],
    [{ scaleModel: 'both' }, /tracker.scaleModel: expected "uniform" or "separate", got/],
    [{ maxLostFrames: 1.5 }, /tracker.maxLostFrames/],
    [{ matchIou: 1.5 }, /tracker.matchIou/],
    [{ bufferFrames: 1 }, /tracker.bufferFrames/],
    [{ sampleInset: 0.5 }, /tracker.sampleInset/],
    [{ estimateScale: 'yes' }, /tracker.estimateScale: expected a boolean/],
    [{ maxAge: -1 }, /tracker.maxAge/],
    [{ frobnicate: 1 }, /tracker.frobnicate: expected one of/],
  ])('%j is rejected', async (bad, msg) => {
    expect(() => resolveTrackerOptions(bad as never)).toThrow(msg);
    await expect(MultiTracker.create(bad as never)).rejects.toThrow(ValidationError);
  });
});

describe('FrameBuffer', () => {
  it('is bounded by frames and bytes, deletes evicted Mats and counts evictions', async () => {
    const cv = await loadOpenCv();
    const buf = new FrameBuffer(3, 250);
    const mats = [0, 1, 2, 3, 4].map(() => new cv.Mat(10, 10, cv.CV_8UC1)); // 100 bytes each
    buf.push(0, mats[0]);
    buf.push(1, mats[1]);
    expect(buf.stats).toMatchObject({ frames: 2, bytes: 200, evictedByFrames: 0, evictedByBytes: 0 });
    buf.push(2, mats[2]); // 300 bytes > 250: frame 0 goes
    expect(buf.stats).toMatchObject({ frames: 2, bytes: 200, evictedByBytes: 1 });
    expect(mats[0].isDeleted()).toBe(true);
    expect(buf.get(0)).toBeUndefined();
    expect(buf.get(2)?.gray).toBe(mats[2]);
    const big = new FrameBuffer(2, 1e9);
    big.push(5, mats[3]);
    big.push(9, mats[4]); // gaps are fine
    expect(big.get(9)?.index).toBe(9);
    expect(big.range(6, 9).map((e) => e.index)).toEqual([9]);
    const extra = new cv.Mat(10, 10, cv.CV_8UC1);
    big.push(10, extra);
    expect(big.stats).toMatchObject({ frames: 2, evictedByFrames: 1 });
    expect(mats[3].isDeleted()).toBe(true);
    const stale = new cv.Mat(1, 1, cv.CV_8UC1);
    expect(() => big.push(10, stale)).toThrow(/not after/);
    expect(stale.isDeleted()).toBe(true);
    buf.clear();
    big.clear();
    big.clear();
    for (const m of [mats[1], mats[2], mats[4], extra]) expect(m.isDeleted()).toBe(true);
    expect(buf.stats.frames).toBe(0);
  });
});

describe('MultiTracker lifecycle', () => {
  it('keeps its buffer within the byte bound on real frames', async () => {
    // 320x240 at maxSide 384 (never upscaled): 76,800 bytes per frame; 200 kB holds 2 frames.
    const tr = await MultiTracker.create({ maxSide: 384, bufferBytes: 200_000, bufferFrames: 50 });
    open.push(tr);
    for (const { frame } of renderScene('still', { frames: 6 }).frames()) tr.update(frame);
    expect(tr.bufferStats).toMatchObject({ frames: 2, bytes: 153_600, evictedByBytes: 4 });
  });

  it('reset() forgets tracks and restarts ids per instance; close() is idempotent', async () => {
    const a = await MultiTracker.create();
    const b = await MultiTracker.create();
    open.push(a, b);
    const [f] = renderScene('translate', { frames: 1 }).frames();
    for (const tr of [a, b]) {
      tr.update(f.frame);
      expect(tr.correct(0, truthDetections(f.truth), { kind: 'off' }).tracks[0].id).toBe(1);
    }
    a.reset();
    expect(a.tracks()).toEqual([]);
    expect(a.currentFrame).toBeUndefined();
    a.update(f.frame); // index 0 again is fine after reset
    expect(a.correct(0, truthDetections(f.truth), { kind: 'off' }).tracks[0].id).toBe(1);
    a.close();
    a.close();
    expect(() => a.update(f.frame)).toThrow(/after close/);
  });

  it('rejects a frame of another size', async () => {
    const tr = await MultiTracker.create();
    open.push(tr);
    const [small] = renderScene('still', { frames: 1, width: 64, height: 48 }).frames();
    const big = [...renderScene('still', { frames: 2, width: 80, height: 48 }).frames()][1];
    tr.update(small.frame);
    expect(() => tr.update(big.frame)).toThrow(/expected 64x48 like the first frame, got 80x48/);
  });
});
