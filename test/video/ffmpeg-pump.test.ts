import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { type PumpMessage, startPump } from '../../src/video/ffmpeg-pump.js';

const W = 320;
const H = 240; // one frame (230 kB) is larger than a pipe read, so the pump can stop on a frame boundary
const FRAMES = 60;
const MAX_QUEUED = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(done: () => boolean, what: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await sleep(10);
  }
}

describe('startPump in queue mode (file sources: bounded read-ahead, nothing dropped)', () => {
  let pump: Worker | undefined;
  afterEach(async () => {
    pump?.postMessage('stop');
    await pump?.terminate();
    pump = undefined;
  });

  it('stops at maxQueued unconsumed frames, resumes as frames are consumed, and delivers every frame', async () => {
    pump = startPump({
      args: ['-hide_banner', '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', `testsrc=size=${W}x${H}:rate=25`, '-frames:v', String(FRAMES), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
      frameBytes: W * H * 3,
      killGraceMs: 1000,
      maxQueued: MAX_QUEUED,
    });
    const frames: number[] = [];
    let end: Extract<PumpMessage, { type: 'end' }> | undefined;
    let consumeAll = false;
    pump.on('message', (m: PumpMessage) => {
      if (m.type === 'frame') {
        frames.push(m.index);
        if (consumeAll) pump!.postMessage('ready');
      } else if (m.type === 'end') end = m;
    });
    // nothing consumed: ffmpeg (which could make all 60 frames in well under a second) is held back
    await waitFor(() => frames.length >= MAX_QUEUED, () => `${MAX_QUEUED} frames (got ${frames.length})`);
    await sleep(400);
    expect(frames.length).toBe(MAX_QUEUED);
    // two consumed: exactly two more come
    pump.postMessage('ready');
    pump.postMessage('ready');
    await waitFor(() => frames.length >= MAX_QUEUED + 2, () => `${MAX_QUEUED + 2} frames (got ${frames.length})`);
    await sleep(300);
    expect(frames.length).toBe(MAX_QUEUED + 2);
    // consume everything (those already received too): the rest arrive in order, none dropped
    consumeAll = true;
    for (let i = 0; i < MAX_QUEUED + 2; i++) pump.postMessage('ready');
    await waitFor(() => end !== undefined, () => `the end of the stream (got ${frames.length} frames)`);
    expect(frames).toEqual(Array.from({ length: FRAMES }, (_, i) => i));
    expect(end).toMatchObject({ code: 0, received: FRAMES, dropped: 0, strayBytes: 0 });
  });
});
