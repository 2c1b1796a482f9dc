/**
 * The tracker is split into a per-frame-pair motion estimate (OpenCV) and pure track logic
 * (TrackerCore). This proves the split is exact: a TrackerCore driven by motions that went through
 * encode → decode reproduces MultiTracker's tracks bit for bit, with corrections, Katch-Up (full and
 * stride:3), an `off` correction, and frames evicted from the buffer (a fallback).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type KatchupMode, type Track, parseKatchupMode } from '../../src/core/index.js';
import { type FrameMotion, MultiTracker, TrackerCore, decodeFrameMotion, encodeFrameMotion } from '../../src/tracker/index.js';
import { renderScene } from '../../src/video/synthetic/scene.js';
import { truthDetections } from './helpers.js';

const open: MultiTracker[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.close();
});

/** Corrections by arrival frame: detections of frame k in mode m. */
const PLAN = new Map<number, { k: number; mode: KatchupMode }[]>([
  [0, [{ k: 0, mode: parseKatchupMode('full') }]],
  [9, [{ k: 4, mode: parseKatchupMode('full') }]],
  [17, [{ k: 8, mode: parseKatchupMode('stride:3') }, { k: 12, mode: parseKatchupMode('full') }]],
  [26, [{ k: 20, mode: parseKatchupMode('off') }]],
  [33, [{ k: 30, mode: parseKatchupMode('stride:3') }, { k: 2, mode: parseKatchupMode('full') }]], // k = 2 has left the buffer
  [38, [{ k: 38, mode: parseKatchupMode('full') }]],
]);

describe('TrackerCore driven by decoded motions', () => {
  it('reproduces MultiTracker bit for bit (corrections, full / stride:3 / off Katch-Up, a fallback)', async () => {
    const frames = [...renderScene('multi', { width: 320, height: 240, frames: 40, objects: 6, seed: 7 }).frames()];
    const options = { bufferFrames: 20 };
    const tr = await MultiTracker.create(options);
    open.push(tr);
    const cache = new Map<string, Uint8Array>();
    tr.onMotion = (m: FrameMotion) => cache.set(`${m.from}>${m.to}`, encodeFrameMotion(m));
    const real: (readonly Track[])[] = [];
    for (const { frame } of frames) {
      tr.update(frame);
      for (const c of PLAN.get(frame.index) ?? []) tr.correct(c.k, truthDetections(frames[c.k].truth), c.mode);
      real.push(tr.tracks());
    }
    expect(tr.katchupCounters).toMatchObject({ corrections: 8, fallbacks: 1 });
    expect([...cache.keys()].some((k) => { const [a, b] = k.split('>').map(Number); return b - a > 1; })).toBe(true);

    const core = new TrackerCore(tr.options);
    const motionFor = (i: number, j: number) => {
      const bytes = cache.get(`${i}>${j}`);
      return bytes ? decodeFrameMotion(bytes) : undefined;
    };
    const simulated: (readonly Track[])[] = [];
    for (const { frame } of frames) {
      const t = frame.index;
      core.step(t, t === 0 ? undefined : motionFor(t - 1, t));
      for (const c of PLAN.get(t) ?? []) core.correct(c.k, truthDetections(frames[c.k].truth), c.mode, motionFor);
      simulated.push(core.tracks());
    }
    expect(simulated).toStrictEqual(real);
    // Not vacuous: the tracks moved and some were tracked at the end.
    expect(real.at(-1)!.length).toBeGreaterThan(3);
    expect(real[20][0].box).not.toStrictEqual(real[10][0].box);
  });

  it('round-trips a motion through bytes and rejects truncated or foreign bytes', async () => {
    const frames = [...renderScene('translate', { frames: 2 }).frames()];
    const tr = await MultiTracker.create();
    open.push(tr);
    let m: FrameMotion | undefined;
    tr.onMotion = (x) => (m = x);
    for (const { frame } of frames) tr.update(frame);
    const bytes = encodeFrameMotion(m!);
    expect(decodeFrameMotion(bytes)).toStrictEqual(m);
    expect(() => decodeFrameMotion(bytes.subarray(0, bytes.length - 1))).toThrow(/expected \d+ bytes for \d+x\d+, got/);
    const foreign = bytes.slice();
    foreign[0] ^= 0xff;
    expect(() => decodeFrameMotion(foreign)).toThrow(/magic/);
  });
});
