import { afterEach, describe, expect, it } from 'vitest';
import { type Frame, iou, makeFrame } from '../../src/core/index.js';
import { MultiTracker } from '../../src/tracker/index.js';
import { renderScene, type Scenario } from '../../src/video/synthetic/scene.js';
import { mean, trackIou, truthDetections } from './helpers.js';

const open: MultiTracker[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.close();
});
async function tracker(options = {}): Promise<MultiTracker> {
  const t = await MultiTracker.create(options);
  open.push(t);
  return t;
}

/** Initialises on frame 0 with the truth, tracks 30 frames, returns per-frame IoU of object 1. */
async function trackScenario(s: Scenario, width: number, height: number): Promise<number[]> {
  const tr = await tracker();
  const ious: number[] = [];
  for (const { frame, truth } of renderScene(s, { width, height, frames: 30 }).frames()) {
    tr.update(frame);
    if (frame.index === 0) tr.correct(0, truthDetections(truth), { kind: 'full' });
    ious.push(trackIou(tr.tracks(), 1, truth[0]));
  }
  return ious;
}

describe('MultiTracker on synthetic clips (one initialisation, 30 frames)', () => {
  for (const [s, w, h] of [['translate', 320, 240], ['translate', 768, 576], ['scale', 320, 240], ['scale', 768, 576]] as const) {
    it(`${s} ${w}x${h}: mean IoU ≥ 0.8`, async () => {
      const ious = await trackScenario(s, w, h);
      expect(ious).toHaveLength(30);
      expect(mean(ious)).toBeGreaterThanOrEqual(0.8);
      expect(Math.min(...ious.slice(1))).toBeGreaterThan(0.6);
    });
  }

  it('a motionless tracker would fail: translate moves the object away from its first box', async () => {
    const frames = [...renderScene('translate').frames()];
    expect(iou(frames[0].truth[0].box, frames[29].truth[0].box)).toBeLessThan(0.3);
  });

  it('follows the scale change (box area grows with the object)', async () => {
    const tr = await tracker();
    let first = 0;
    let last = 0;
    let truthRatio = 0;
    const frames = [...renderScene('scale').frames()];
    for (const { frame, truth } of frames) {
      tr.update(frame);
      if (frame.index === 0) first = boxArea(tr.correct(0, truthDetections(truth), { kind: 'full' }).tracks[0].box);
      last = boxArea(tr.tracks()[0].box);
    }
    truthRatio = boxArea(frames[29].truth[0].box) / boxArea(frames[0].truth[0].box);
    expect(last / first).toBeGreaterThan(truthRatio * 0.85);
    expect(last / first).toBeLessThan(truthRatio * 1.15);
  });

  it('reports stats of the last update', async () => {
    const tr = await tracker();
    const frames = [...renderScene('translate', { frames: 5 }).frames()];
    for (const { frame, truth } of frames) {
      tr.update(frame);
      if (frame.index === 0) tr.correct(0, truthDetections(truth), { kind: 'full' });
    }
    const s = tr.stats;
    expect(s.trackCount).toBe(1);
    expect(s.lostCount).toBe(0);
    expect(s.meanConfidence).toBeGreaterThan(0.3);
    expect(s.minConfidence).toBe(s.meanConfidence);
    // translate at 320 px wide moves 2.5 px per frame horizontally, 0.6 px vertically.
    expect(s.meanMotionPx).toBeGreaterThan(2);
    expect(s.meanMotionPx).toBeLessThan(3.2);
    expect(s.ms).toBeGreaterThan(0);
  });

  it('marks a track lost (not silently frozen) when the image loses all texture', async () => {
    const tr = await tracker();
    const frames = [...renderScene('translate', { frames: 3 }).frames()];
    for (const { frame, truth } of frames) {
      tr.update(frame);
      if (frame.index === 0) tr.correct(0, truthDetections(truth), { kind: 'full' });
    }
    expect(tr.tracks()[0].state).toBe('tracked');
    const flat: Frame = makeFrame(3, 100, 320, 240, new Uint8Array(320 * 240 * 3).fill(128));
    const [t] = tr.update(flat);
    expect(t.state).toBe('lost');
    expect(t.confidence).toBe(0);
    expect(tr.stats.lostCount).toBe(1);
  });

  it('marks a track lost when its object leaves the frame', async () => {
    const tr = await tracker();
    // cross at 30 frames: object 2 starts at the right border region and moves left; run object 1 off the right edge
    // by tracking translate for long enough that it bounces? Use a shifted clip instead: pan the frame content.
    const base = [...renderScene('still', { frames: 1 }).frames()][0];
    const W = 320;
    const H = 240;
    tr.update(base.frame);
    tr.correct(0, truthDetections(base.truth), { kind: 'off' });
    let state = 'tracked';
    for (let i = 1; i <= 40 && state === 'tracked'; i++) {
      // Shift the whole image left by 6 px per frame (background wraps): the object exits at the left.
      const rgb = new Uint8Array(W * H * 3);
      const shift = 6 * i;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const sx = (x + shift) % W;
          rgb.set(base.frame.rgb.subarray((y * W + sx) * 3, (y * W + sx) * 3 + 3), (y * W + x) * 3);
        }
      }
      state = tr.update(makeFrame(i, i * 33, W, H, rgb))[0].state;
    }
    expect(state).toBe('lost');
  });
});

function boxArea(b: { x1: number; y1: number; x2: number; y2: number }): number {
  return (b.x2 - b.x1) * (b.y2 - b.y1);
}
