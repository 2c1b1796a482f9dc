import { describe, expect, it } from 'vitest';
import { type Frame, makeFrame } from '../../src/core/index.js';
import { primeOfflineFrames, untilAborted } from '../../src/pipeline/offline-frames.js';
import { SAMPLE_CLIP, ffmpegChildren } from './helpers.js';

describe('primeOfflineFrames', () => {
  it('decodes the first frame up front, then yields it and the rest, once', async () => {
    const primed = await primeOfflineFrames(SAMPLE_CLIP, 12);
    expect(ffmpegChildren().length).toBe(1); // started, waiting for the loop to pull
    const indices: number[] = [];
    for await (const f of primed.frames()) indices.push(f.index);
    expect(indices).toEqual([...Array(12).keys()]);
    expect(() => primed.frames()[Symbol.asyncIterator]()).toThrow(/iterated once/);
    await primed.close();
    await primed.close();
  });

  it('close() before iterating stops the decoder', async () => {
    const primed = await primeOfflineFrames(SAMPLE_CLIP);
    expect(ffmpegChildren().length).toBe(1);
    await primed.close();
    expect(ffmpegChildren()).toEqual([]);
  });

  it('a missing input rejects at once, naming it', async () => {
    await expect(primeOfflineFrames('/nonexistent/clip.mp4')).rejects.toThrow(/\/nonexistent\/clip\.mp4/);
  });
});

describe('untilAborted', () => {
  it('takes no frame after the signal aborts and stops the decoder', async () => {
    const primed = await primeOfflineFrames(SAMPLE_CLIP);
    const controller = new AbortController();
    const indices: number[] = [];
    for await (const f of untilAborted(primed.frames, controller.signal)()) {
      indices.push(f.index);
      if (f.index === 4) controller.abort();
    }
    expect(indices).toEqual([0, 1, 2, 3, 4]);
    expect(ffmpegChildren()).toEqual([]); // leaving the loop early closed the source
    await primed.close();
  });

  it('an already aborted signal gives no frame; without a signal the frames are unchanged', async () => {
    const frames = (): AsyncIterable<Frame> => (async function* () { yield makeFrame(7, 0, 1, 1, new Uint8Array(3)); })();
    const none: number[] = [];
    for await (const f of untilAborted(frames, AbortSignal.abort())()) none.push(f.index);
    expect(none).toEqual([]);
    expect(untilAborted(frames)).toBe(frames);
  });
});
