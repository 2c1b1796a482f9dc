import { afterEach, describe, expect, it } from 'vitest';
import { type KatchupMode, type Track, ValidationError, iou, makeDetection, parseKatchupMode } from '../../src/core/index.js';
import { MultiTracker, selectRetrackFrames, type TrackerOptions } from '../../src/tracker/index.js';
import { renderScene, type SceneFrame } from '../../src/video/synthetic/scene.js';
import { trackIou, truthDetections } from './helpers.js';

const open: MultiTracker[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.close();
});
async function tracker(options: Partial<TrackerOptions> = {}): Promise<MultiTracker> {
  const t = await MultiTracker.create(options);
  open.push(t);
  return t;
}
const clip = (s: 'translate' | 'cross' | 'multi', frames = 30, extra = {}): SceneFrame[] => [...renderScene(s, { frames, ...extra }).frames()];

describe('selectRetrackFrames', () => {
  // buffered frames after k = 10 up to t = 20: indices 11..20 (positions 0..9)
  const after = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  it.each([
    ['off', []],
    ['full', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['stride:3', [2, 5, 8, 9]], // frames 13, 16, 19 and t = 20
    ['stride:5', [4, 9]], // 15, 20 (t already on the stride)
    ['stride:20', [9]], // only t
  ] as const)('%s → %j', (spec, expected) => {
    expect(selectRetrackFrames(after, parseKatchupMode(spec))).toEqual(expected);
  });
  it('nothing to re-track when k == t', () => {
    expect(selectRetrackFrames([], { kind: 'full' })).toEqual([]);
  });
});

describe('MultiTracker.correct (Katch-Up)', () => {
  /** Tracks the translate clip with a correction for frame k delivered at frame t; returns the report and IoU at t. */
  async function lateCorrection(mode: KatchupMode, k: number, t: number, options: Partial<TrackerOptions> = {}) {
    const tr = await tracker(options);
    const frames = clip('translate');
    for (const f of frames.slice(0, t + 1)) tr.update(f.frame);
    const report = tr.correct(k, truthDetections(frames[k].truth), mode);
    return { tr, report, iouAtT: trackIou(report.tracks, 1, frames[t].truth[0]), frames };
  }

  it('full re-tracks every buffered frame k+1..t and lands on the object', async () => {
    const { report, iouAtT } = await lateCorrection({ kind: 'full' }, 10, 20);
    expect(report).toMatchObject({ requested: { kind: 'full' }, applied: { kind: 'full' }, fellBack: false, framesRetracked: 10 });
    expect(report.ms).toBeGreaterThan(0);
    expect(iouAtT).toBeGreaterThan(0.85);
    expect(report.tracks[0]).toMatchObject({ id: 1, state: 'tracked', lastDetectedFrame: 10, age: 10, score: 1 });
  });

  it('reports how many detections matched a track at frame k, and their mean IoU there', async () => {
    const tr = await tracker();
    const frames = clip('translate');
    for (const f of frames.slice(0, 11)) tr.update(f.frame);
    // no track yet: the detection starts one
    const first = tr.correct(10, truthDetections(frames[10].truth), { kind: 'full' });
    expect(first).toMatchObject({ matched: 0, meanMatchIou: 0 });
    let at15: readonly Track[] = [];
    for (const f of frames.slice(11, 21)) {
      const tracks = tr.update(f.frame);
      if (f.frame.index === 15) at15 = tracks;
    }
    expect(at15).toHaveLength(1);
    // the detection of frame 15, delivered at 20, is a tenth of the object's width off: it matches the track as it was at 15
    const truth = frames[15].truth[0];
    const w = truth.box.x2 - truth.box.x1;
    const shifted = { ...truth.box, x1: truth.box.x1 + w / 10, x2: truth.box.x2 + w / 10 };
    const second = tr.correct(15, [makeDetection(shifted, 1, truth.classId)], { kind: 'full' });
    expect(second.matched).toBe(1);
    expect(second.meanMatchIou).toBeCloseTo(iou(at15[0].box, shifted), 9);
    expect(second.meanMatchIou).toBeGreaterThan(0.5);
    expect(second.meanMatchIou).toBeLessThan(0.95);
  });

  it('stride:3 re-tracks every third frame plus t, with flow between non-adjacent frames', async () => {
    const { report, iouAtT } = await lateCorrection({ kind: 'stride', stride: 3 }, 10, 20);
    expect(report.framesRetracked).toBe(4);
    expect(report.applied).toEqual({ kind: 'stride', stride: 3 });
    expect(iouAtT).toBeGreaterThan(0.85);
  });

  it('off applies the stale box at t (worse than re-tracking on a moving object)', async () => {
    const { report, iouAtT, frames } = await lateCorrection({ kind: 'off' }, 10, 20);
    expect(report.framesRetracked).toBe(0);
    expect(report.tracks[0].box).toEqual(frames[10].truth[0].box);
    expect(iouAtT).toBeCloseTo(iou(frames[10].truth[0].box, frames[20].truth[0].box), 9);
    expect(iouAtT).toBeLessThan(0.6);
  });

  it('k == t (fresh detection) re-initialises without re-tracking', async () => {
    const { report, frames } = await lateCorrection({ kind: 'full' }, 20, 20);
    expect(report.framesRetracked).toBe(0);
    expect(report.fellBack).toBe(false);
    expect(report.tracks[0].box).toEqual(frames[20].truth[0].box);
    expect(report.tracks[0].age).toBe(0);
  });

  it('falls back to off (and counts it) when frame k has left the buffer', async () => {
    const { tr, report, frames } = await lateCorrection({ kind: 'full' }, 5, 20, { bufferFrames: 8 });
    expect(report).toMatchObject({ requested: { kind: 'full' }, applied: { kind: 'off' }, fellBack: true, framesRetracked: 0 });
    expect(report.tracks[0].box).toEqual(frames[5].truth[0].box);
    expect(tr.katchupCounters).toMatchObject({ corrections: 1, fallbacks: 1, framesRetracked: 0 });
    expect(tr.bufferStats).toMatchObject({ frames: 8, evictedByFrames: 13 });
  });

  it('keeps identities: a later correction matches the existing track', async () => {
    const tr = await tracker();
    const frames = clip('translate');
    tr.update(frames[0].frame);
    tr.correct(0, truthDetections(frames[0].truth), { kind: 'full' });
    for (const f of frames.slice(1, 16)) tr.update(f.frame);
    const r = tr.correct(12, truthDetections(frames[12].truth), { kind: 'full' });
    expect(r.tracks.map((t) => t.id)).toEqual([1]);
    expect(r.tracks[0].lastDetectedFrame).toBe(12);
  });

  it('unmatched detections start tracks; unmatched tracks expire after maxMisses corrections', async () => {
    const tr = await tracker({ maxMisses: 2 });
    const frames = clip('multi', 12, { objects: 3 });
    tr.update(frames[0].frame);
    const first = tr.correct(0, truthDetections(frames[0].truth.slice(0, 2)), { kind: 'full' });
    expect(first.tracks.map((t) => t.id)).toEqual([1, 2]);
    for (const f of frames.slice(1, 6)) tr.update(f.frame);
    // Object 3 appears in the detections, object 2 is missing once: still kept.
    const det3 = [frames[3].truth[0], frames[3].truth[2]];
    const second = tr.correct(3, truthDetections(det3), { kind: 'full' });
    expect(second.tracks.map((t) => t.id)).toEqual([1, 2, 3]);
    for (const f of frames.slice(6, 10)) tr.update(f.frame);
    const third = tr.correct(8, truthDetections([frames[8].truth[0], frames[8].truth[2]]), { kind: 'full' });
    expect(third.tracks.map((t) => t.id)).toEqual([1, 3]);
  });

  it('a second late correction inside the re-tracked window does not duplicate tracks', async () => {
    const tr = await tracker();
    const frames = clip('multi', 30, { objects: 4 });
    for (const f of frames.slice(0, 16)) tr.update(f.frame);
    // The first detections (frame 5) arrive at 15; the next (frame 10) at 20: frame 10 lies inside 5..15.
    tr.correct(5, truthDetections(frames[5].truth), { kind: 'stride', stride: 3 });
    for (const f of frames.slice(16, 21)) tr.update(f.frame);
    const r = tr.correct(10, truthDetections(frames[10].truth), { kind: 'full' });
    expect(r.tracks.map((t) => t.id)).toEqual([1, 2, 3, 4]);
  });

  it.each([[320, 240, 1], [768, 576, 2], [640, 360, 3]])('identities survive a crossing when a correction arrives (%ix%i, seed %i)', async (width, height, seed) => {
    const tr = await tracker();
    const frames = clip('cross', 30, { width, height, seed });
    const firstIds = new Map<number, number>();
    for (const f of frames) {
      tr.update(f.frame);
      if (f.frame.index === 0) {
        const r = tr.correct(0, truthDetections(f.truth), { kind: 'full' });
        // Detections are listed in truth order (object 1, 2): remember which track id each got.
        r.tracks.forEach((t) => firstIds.set(f.truth.find((g) => iou(g.box, t.box) > 0.99)!.id, t.id));
      }
      // Detections for frame 22 (after the crossing at ~14) arrive 5 frames late.
      if (f.frame.index === 27) tr.correct(22, truthDetections(frames[22].truth), { kind: 'full' });
    }
    const last = frames[29];
    const tracks = tr.tracks();
    expect(tracks).toHaveLength(2);
    for (const g of last.truth) expect(trackIou(tracks, firstIds.get(g.id)!, g)).toBeGreaterThan(0.7);
  });

  it('rejects frames from the future, calls before any frame and bad modes', async () => {
    const tr = await tracker();
    expect(() => tr.correct(0, [], { kind: 'full' })).toThrow(/no frame/);
    const frames = clip('translate', 3);
    tr.update(frames[0].frame);
    expect(() => tr.correct(1, [], { kind: 'full' })).toThrow(ValidationError);
    expect(() => tr.correct(0, [], { kind: 'stride', stride: 0 })).toThrow(/katchup.stride/);
    expect(() => tr.correct(0, [], { kind: 'nope' } as unknown as KatchupMode)).toThrow(/katchup/);
    expect(() => tr.update(frames[0].frame)).toThrow(/frame.index/);
  });

  it('with class fusion, matches per class, then across classes: a relabelled detection of a tracked object updates its track and its class follows the evidence', async () => {
    const tr = await tracker({ classFusion: true });
    const [f] = clip('translate', 1);
    tr.update(f.frame);
    tr.correct(0, [makeDetection(f.truth[0].box, 0.9, 0)], { kind: 'off' });
    // Same box labelled class 2 at 0.8: the same object; 0.9 · 0.9 of class 0 still outweighs 0.8.
    let r = tr.correct(0, [makeDetection(f.truth[0].box, 0.8, 2)], { kind: 'off' });
    expect(r.tracks.map((t) => [t.id, t.classId])).toEqual([[1, 0]]);
    // A second class-2 label tips the evidence: 0.9 · 0.81 < 0.8 · 0.9 + 0.8.
    r = tr.correct(0, [makeDetection(f.truth[0].box, 0.8, 2)], { kind: 'off' });
    expect(r.tracks.map((t) => [t.id, t.classId])).toEqual([[1, 2]]);
  });

  it('matches per class by default: a detection of another class starts a new track', async () => {
    const tr = await tracker();
    const [f] = clip('translate', 1);
    tr.update(f.frame);
    tr.correct(0, [makeDetection(f.truth[0].box, 0.9, 0)], { kind: 'off' });
    const r = tr.correct(0, [makeDetection(f.truth[0].box, 0.8, 2)], { kind: 'off' });
    expect(r.tracks.map((t) => [t.id, t.classId])).toEqual([[1, 0], [2, 2]]);
  });
});
