import { Observable, Subject, concatMap, delay, from, lastValueFrom, map, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { type Frame, type Track, makeBox, makeDetection, makeFrame } from '../../src/core/index.js';
import { makeContextFeatures } from '../../src/controller/index.js';
import { splitPolicies } from '../../src/cli/commands/eval.js';
import { createPolicy } from '../../src/controller/index.js';
import { type FrameRow } from '../../src/pipeline/index.js';
import { scaleDetectionsToFrame } from '../../src/pipeline/scale-detections.js';
import { fillDroppedFrames } from '../../src/pipeline/operators/fill-dropped-frames.js';
import { pullFrames } from '../../src/pipeline/operators/pull-frames.js';
import { ChannelModel, ReplayLink, makeRateTrace } from '../../src/transport/index.js';

const track = (id: number): Track => ({
  id, box: makeBox(10 * id, 10, 10 * id + 5, 20), classId: 0, score: 0.9, confidence: 1, age: 0, lastDetectedFrame: 0, state: 'tracked',
});

/** A real (non-dropped) row of frame i carrying the given tracks. */
const row = (i: number, tracks: Track[] = [track(i)]): FrameRow => ({
  frameIndex: i, ptsMs: i * 100, clockMs: i * 100, dropped: false, tracks, decision: i % 2 ? 'offload:high,full' : 'none',
  bytes: i % 2 ? 1000 : 0, applied: [], context: makeContextFeatures({ frameIndex: i }), frame: makeFrame(i, i * 100, 2, 2, new Uint8Array(12)),
});

const frame = (i: number): Frame => makeFrame(i, i * 100, 2, 2, new Uint8Array(12).fill(i));

describe('fillDroppedFrames', () => {
  it('marbles: a gap in frame indices becomes dropped rows carrying the last tracks, emitted before the next real row', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const r0 = row(0);
      const r1 = row(1);
      const r4 = row(4);
      const r5 = row(5);
      const source = cold('a-b--c-----d|', { a: r0, b: r1, c: r4, d: r5 });
      const dropped = (i: number, from: FrameRow): FrameRow => ({
        ...from, frameIndex: i, dropped: true, decision: 'none', bytes: 0, applied: [], context: { ...from.context, frameIndex: i }, frame: undefined,
      });
      // frames 2 and 3 were dropped by the live source: both appear (synchronously) just before frame 4
      // (a sync group spans as many frames as it has characters, so `d` lines up at frame 11 in both)
      expectObservable(source.pipe(fillDroppedFrames())).toBe('a-b--(xyc)-d|', { a: r0, b: r1, x: dropped(2, r1), y: dropped(3, r1), c: r4, d: r5 });
      expectSubscriptions(source.subscriptions).toBe('^-----------!');
    });
  });

  it('passes errors through and stops listening when unsubscribed', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const e = cold('a-#', { a: row(0) }, new Error('boom'));
      expectObservable(e.pipe(fillDroppedFrames())).toBe('a-#', { a: row(0) }, new Error('boom'));
      const h = hot('-a---b---c', { a: row(0), b: row(2), c: row(3) });
      expectObservable(h.pipe(fillDroppedFrames()), '^------!').toBe('-a---(xb)', {
        a: row(0), b: row(2), x: { ...row(0), frameIndex: 1, dropped: true, decision: 'none', bytes: 0, applied: [], context: { ...row(0).context, frameIndex: 1 }, frame: undefined },
      });
      expectSubscriptions(h.subscriptions).toBe('^------!');
    });
  });

  it('a dropped row never carries pixels or a decision; the output covers every index exactly once', async () => {
    const out = await lastValueFrom(from([row(3), row(7), row(8), row(12)]).pipe(fillDroppedFrames(), toArray()));
    expect(out.map((r) => r.frameIndex)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const r of out.filter((x) => x.dropped)) {
      expect(r.frame).toBeUndefined();
      expect(r.decision).toBe('none');
      expect(r.bytes).toBe(0);
      expect(r.context.frameIndex).toBe(r.frameIndex);
    }
    expect(out.filter((x) => x.dropped).length).toBe(6);
    // rows 9..11 repeat the tracks of row 8
    expect(out[8].tracks).toBe(out[5].tracks);
    expect(out[5].tracks[0].id).toBe(8);
  });
  it('on completion, frames the source delivered after the last real row get dropped rows too (lastInputIndex)', async () => {
    const out = await lastValueFrom(from([row(0), row(2)]).pipe(fillDroppedFrames(() => 5), toArray()));
    expect(out.map((r) => [r.frameIndex, r.dropped])).toEqual([[0, false], [1, true], [2, false], [3, true], [4, true], [5, true]]);
    expect(out[5].tracks).toBe(out[2].tracks);
    // without it (or when the last row is the last input) nothing is appended
    expect((await lastValueFrom(from([row(0), row(2)]).pipe(fillDroppedFrames(), toArray()))).length).toBe(3);
    expect((await lastValueFrom(from([row(0), row(2)]).pipe(fillDroppedFrames(() => 2), toArray()))).length).toBe(3);
  });
});

describe('pullFrames', () => {
  it('pulls frame i+1 only after the per-frame work of frame i has finished, and emits in order', async () => {
    const log: string[] = [];
    async function* frames() {
      for (let i = 0; i < 4; i++) {
        log.push(`pull ${i}`);
        yield frame(i);
      }
      log.push('end');
    }
    const perFrame = (src: Observable<Frame>) =>
      src.pipe(
        concatMap((f) => {
          log.push(`start ${f.index}`);
          // asynchronous work of uneven length: later frames are quicker
          return of(f.index).pipe(delay(20 - 5 * f.index), map((i) => {
            log.push(`done ${i}`);
            return i * 10;
          }));
        }),
      );
    const out = await lastValueFrom(pullFrames(frames, perFrame).pipe(toArray()));
    expect(out).toEqual([0, 10, 20, 30]);
    expect(log).toEqual(['pull 0', 'start 0', 'done 0', 'pull 1', 'start 1', 'done 1', 'pull 2', 'start 2', 'done 2', 'pull 3', 'start 3', 'done 3', 'end']);
  });

  it('forwards every emission of a frame (none, one or several), in order', async () => {
    async function* frames() {
      yield frame(0);
      yield frame(1);
      yield frame(2);
    }
    // frame 0 emits nothing, frame 1 two values, frame 2 one
    const perFrame = (src: Observable<Frame>) => src.pipe(concatMap((f) => from(f.index === 0 ? [] : f.index === 1 ? [1, 101] : [2])));
    const out = await lastValueFrom(pullFrames(frames, perFrame).pipe(toArray()));
    expect(out).toEqual([1, 101, 2]);
  });

  it('unsubscribing calls iterator.return (the generator runs its finally) and pulls no more frames', async () => {
    let pulled = 0;
    let finalized = false;
    async function* frames() {
      try {
        for (let i = 0; ; i++) {
          pulled++;
          yield frame(i);
        }
      } finally {
        finalized = true;
      }
    }
    const got: number[] = [];
    const gate = new Subject<void>();
    const sub = pullFrames(frames, (src) => src.pipe(concatMap((f) => of(f.index).pipe(delay(5))))).subscribe((i) => {
      got.push(i);
      if (i === 2) gate.next();
    });
    await new Promise<void>((resolve) => gate.subscribe(() => resolve()));
    sub.unsubscribe();
    await new Promise((r) => setTimeout(r, 50));
    expect(finalized).toBe(true);
    expect(got).toEqual([0, 1, 2]);
    expect(pulled).toBeLessThanOrEqual(4);
  });

  it('an error in the per-frame work errors the output', async () => {
    async function* frames() {
      yield frame(0);
      yield frame(1);
    }
    const run = pullFrames(frames, (src) => src.pipe(map((f) => {
      if (f.index === 1) throw new Error('stage failed');
      return f.index;
    })));
    await expect(lastValueFrom(run)).rejects.toThrow('stage failed');
  });
});

describe('ReplayLink as the replay offloader uses it (hand-computed)', () => {
  // 8 Mbps = 8e6 bit/s = 1e6 byte/s = 1 byte/µs = 1000 bytes/ms; base RTT 20 ms (10 ms each way); edge 30 ms
  const channel = () => new ChannelModel({ trace: makeRateTrace('const-8', [{ startMs: 0, mbps: 8 }], 60_000), baseRttMs: 20 });

  it('one request on an idle link: transfer + RTT/2, edge time, RTT/2 back', () => {
    const t = new ReplayLink(channel());
    // 10 000 bytes at t=0: on the air 0..10 ms, at the edge 10+10 = 20, edge 20..50, back at 50+10 = 60
    expect(t.offload(10_000, 0, 30)).toEqual({ sendMs: 0, arriveEdgeMs: 20, startMs: 20, doneMs: 50, returnMs: 60, queueMs: 0 });
  });

  it('two back-to-back requests queue on the uplink and then at the edge', () => {
    const t = new ReplayLink(channel());
    const a = t.offload(10_000, 0, 30);
    // B: 5 000 bytes sent at 5 ms waits for A's bytes (air 10..15 ms), at the edge 15+10 = 25;
    // the edge is busy with A until 50: queue 25 ms, edge 50..80, back at 90
    const b = t.offload(5_000, 5, 30);
    expect(a.returnMs).toBe(60);
    expect(b).toEqual({ sendMs: 5, arriveEdgeMs: 25, startMs: 50, doneMs: 80, returnMs: 90, queueMs: 25 });
    // C: 1 000 bytes at 200 ms finds everything idle: air 200..201, edge 211..241, back at 251
    expect(t.offload(1_000, 200, 30)).toEqual({ sendMs: 200, arriveEdgeMs: 211, startMs: 211, doneMs: 241, returnMs: 251, queueMs: 0 });
  });

  it('a slower edge queues more; the uplink alone does not', () => {
    const fast = new ReplayLink(channel());
    fast.offload(10_000, 0, 0);
    // with a 0 ms edge only the uplink serialises: B reaches the edge at 25, no queue, back at 35
    expect(fast.offload(5_000, 5, 0)).toMatchObject({ arriveEdgeMs: 25, queueMs: 0, returnMs: 35 });
    expect(() => new ReplayLink(channel()).offload(1, 0, -1)).toThrow(/serviceMs/);
    expect(() => new ReplayLink(channel()).offload(1, 0, Number.NaN)).toThrow(/serviceMs/);
  });
});

describe('scaleDetectionsToFrame', () => {
  it('maps boxes from the offloaded JPEG size to frame pixels, clips them and drops empty ones', () => {
    const dets = [
      makeDetection(makeBox(10, 20, 30, 40), 0.9, 0),
      // partly outside the JPEG after rounding: clipped to the frame
      makeDetection(makeBox(300, 200, 330, 250), 0.8, 2),
      // entirely right of the frame once scaled: dropped
      makeDetection(makeBox(330, 10, 340, 20), 0.7, 0),
    ];
    // JPEG 320x240 → frame 640x480: ×2 on both axes
    const out = scaleDetectionsToFrame(dets, { width: 320, height: 240 }, { width: 640, height: 480 });
    expect(out).toEqual([
      { box: { x1: 20, y1: 40, x2: 60, y2: 80 }, score: 0.9, classId: 0 },
      { box: { x1: 600, y1: 400, x2: 640, y2: 480 }, score: 0.8, classId: 2 },
    ]);
    // anisotropic: 384x288 → 768x576 is ×2, 400x300 → 800x450 is ×2 then ×1.5
    expect(scaleDetectionsToFrame([makeDetection(makeBox(100, 100, 200, 200), 0.5, 1)], { width: 400, height: 300 }, { width: 800, height: 450 })[0].box)
      .toEqual({ x1: 200, y1: 150, x2: 400, y2: 300 });
    expect(scaleDetectionsToFrame([], { width: 1, height: 1 }, { width: 2, height: 2 })).toEqual([]);
  });
});

describe('splitPolicies (edgetrack eval --policies)', () => {
  it.each([
    ['never,periodic:10,full,minimal,heuristic', ['never', 'periodic:10', 'full', 'minimal', 'heuristic']],
    // a quality then a Katch-Up mode continue the spec; a later `full` (not after a quality) is the policy
    ['periodic:5,low,stride:3,full', ['periodic:5,low,stride:3', 'full']],
    // `full` right after a quality is the Katch-Up mode
    ['periodic:5,high,full,never', ['periodic:5,high,full', 'never']],
    // `full` right after a bare spec is the policy `full`
    ['periodic:5,full', ['periodic:5', 'full']],
    ['periodic:5,medium,off;never', ['periodic:5,medium,off', 'never']],
    ['never periodic:10  full', ['never', 'periodic:10', 'full']],
    ['heuristic,motionPx=3,never', ['heuristic,motionPx=3', 'never']],
    [' , ,never,,', ['never']],
  ])('%s', (list, expected) => {
    expect(splitPolicies(list)).toEqual(expected);
  });

  it('every default-list spec is accepted by the policy registry', () => {
    for (const spec of splitPolicies('never,periodic:10,full,minimal,heuristic,periodic:5,low,stride:3,periodic:4,high,full')) {
      expect(() => createPolicy(spec), spec).not.toThrow();
    }
  });
});
