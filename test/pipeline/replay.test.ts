import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalEdge, type RunOptions, runPipeline, startLocalEdge } from '../../src/pipeline/index.js';
import { SAMPLE_CLIP, readRows, removeTempDirs, tempDir } from './helpers.js';

const FRAMES = 40;
let edge: LocalEdge;

/** A replay run of the first FRAMES frames of the sample clip against the shared in-process edge. */
const replay = (outDir: string, extra: Partial<RunOptions> = {}) =>
  runPipeline({
    input: SAMPLE_CLIP, policy: 'periodic:5', trace: 'lte-drive', clock: 'replay', maxFrames: FRAMES,
    edge: edge.url, token: edge.token, noEval: true, outDir, ...extra,
  });

beforeAll(async () => {
  edge = await startLocalEdge('nanodet');
});
afterAll(async () => {
  await edge?.server.close();
  removeTempDirs();
});

describe('runPipeline, replay clock', () => {
  it('is deterministic: same clip/trace/policy ⇒ byte-identical tracks.txt and frames.jsonl; another policy differs', async () => {
    const a = await replay(tempDir());
    const b = await replay(tempDir());
    // the detector really answered (otherwise identical outputs would prove nothing)
    expect(a.offloads).toBe(FRAMES / 5);
    expect(a.answered).toBeGreaterThanOrEqual(FRAMES / 5 - 2);
    expect(a.failed).toBe(0);
    const tracksA = readFileSync(a.files.tracks, 'utf8');
    expect(tracksA.split('\n').filter(Boolean).length).toBeGreaterThan(50);
    expect(readFileSync(b.files.tracks, 'utf8')).toBe(tracksA);
    // frames.jsonl carries only virtual time (clockMs), so it must be identical too
    expect(readFileSync(b.files.frames, 'utf8')).toBe(readFileSync(a.files.frames, 'utf8'));
    expect({ ...b, wallSeconds: 0, timing: null, files: null }).toEqual({ ...a, wallSeconds: 0, timing: null, files: null });

    const c = await replay(tempDir(), { policy: 'periodic:10' });
    expect(c.offloads).toBe(FRAMES / 10);
    expect(readFileSync(c.files.tracks, 'utf8')).not.toBe(tracksA);
  });

  it('decides at capture time: frame k\'s context holds the tracks after frame k−1, and the offload leaves at capture + encode', async () => {
    const r = await replay(tempDir(), { policy: 'periodic:5', trace: 'wifi-good' });
    const rows = readRows(r.files.frames);
    expect(rows[0].context.trackCount).toBe(0);
    const trackedIn = (k: number) => rows[k].tracks.filter((t) => t.state === 'tracked').length;
    let changed = 0;
    for (let k = 1; k < rows.length; k++) {
      expect(rows[k].context.trackCount).toBe(trackedIn(k - 1));
      if (trackedIn(k) !== trackedIn(k - 1)) changed++;
    }
    // frames where the count changed (answers applied, tracks lost) tell "after k−1" from "after k"
    expect(changed).toBeGreaterThan(2);
    // answers are applied one frame after their request on wifi-good: the uplink of a 640 px JPEG plus
    // NanoDet's profiled edge time is well under one frame interval (100 ms)
    const applied = rows.flatMap((x) => x.applied.map((a) => ({ at: x.frameIndex, ...a })));
    expect(applied.length).toBe(FRAMES / 5);
    for (const a of applied) expect(a.at - a.frameIndex).toBe(1);
  });

  it('writes exactly one row per input frame, in order, with virtual time = capture time', async () => {
    const r = await replay(tempDir(), { policy: 'heuristic', trace: 'wifi-erratic' });
    expect(r.frames).toBe(FRAMES);
    expect(r.droppedFrames).toBe(0);
    const rows = readRows(r.files.frames);
    expect(rows.map((x) => x.frameIndex)).toEqual([...Array(FRAMES).keys()]);
    expect(rows.every((x) => !x.dropped)).toBe(true);
    expect(rows.map((x) => x.clockMs)).toEqual(rows.map((x) => (x.frameIndex * 1000) / r.fps));
    // MOT rows are 1-based frame numbers within the run
    const motFrames = new Set(readFileSync(r.files.tracks, 'utf8').split('\n').filter(Boolean).map((l) => Number(l.split(',')[0])));
    for (const f of motFrames) expect(f >= 1 && f <= FRAMES).toBe(true);
    // every answered offload was applied to an earlier frame than the row it shows up in
    const applied = rows.flatMap((x) => x.applied.map((a) => ({ at: x.frameIndex, ...a })));
    expect(applied.length).toBe(r.answered + r.failed);
    for (const a of applied) expect(a.frameIndex).toBeLessThanOrEqual(a.at);
    const report = JSON.parse(readFileSync(r.files.report, 'utf8')) as Record<string, unknown>;
    expect(report.frames).toBe(FRAMES);
  });

  it('a dead edge never stops the device: every frame gets a row, offloads fail and are counted', async () => {
    const dead = await startLocalEdge('nanodet');
    const url = dead.url;
    await dead.server.close();
    const lines: string[] = [];
    const r = await replay(tempDir(), { edge: url, token: dead.token, maxFrames: 20, log: (l) => lines.push(l) });
    expect(r.frames).toBe(20);
    expect(readRows(r.files.frames).map((x) => x.frameIndex)).toEqual([...Array(20).keys()]);
    expect(r.offloads).toBe(4);
    expect(r.answered).toBe(0);
    // every offload that came due failed with 'disconnected'; the last may still be in flight at the end
    expect(r.failed).toBeGreaterThanOrEqual(3);
    expect(r.failuresByCode).toEqual({ disconnected: r.failed });
    expect(lines.join('\n')).toMatch(/not reachable/);
    // tracking only: with no detections there is nothing to track
    expect(readFileSync(r.files.tracks, 'utf8')).toBe('');
  }, 60_000);

  it('the edge going away mid-run: the run completes with tracks from the earlier answers and counted failures', async () => {
    const own = await startLocalEdge('nanodet');
    let closing: Promise<void> | undefined;
    const r = await replay(tempDir(), {
      edge: own.url, token: own.token, policy: 'periodic:3', maxFrames: 30,
      onProgress: (rows) => { if (rows === 12) closing = own.server.close(); },
    });
    await closing;
    expect(r.frames).toBe(30);
    expect(readRows(r.files.frames).map((x) => x.frameIndex)).toEqual([...Array(30).keys()]);
    expect(r.answered).toBeGreaterThan(0);
    expect(r.failed).toBeGreaterThan(0);
    expect(r.answered + r.failed).toBeLessThanOrEqual(r.offloads);
    expect(Object.keys(r.failuresByCode).length).toBeGreaterThan(0);
    const rows = readRows(r.files.frames);
    // tracking continued after the edge was gone: the last rows still have tracked objects
    expect(rows[29].tracks.some((t) => t.state === 'tracked')).toBe(true);
    expect(readFileSync(join(r.files.tracks), 'utf8').length).toBeGreaterThan(0);
  });
});
