import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline/index.js';
import { SAMPLE_CLIP, isAlive, killAll, readRows, removeTempDirs, spawnEdge, tempDir } from './helpers.js';

const children: ChildProcess[] = [];
afterEach(() => killAll(children));
afterAll(() => removeTempDirs());

/** Processes whose parent is this test process (ffmpeg readers, edge servers). */
function childProcesses(): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n').map((l) => l.trim()).filter((l) => l && !/\bps$/.test(l));
  } catch {
    return []; // ps exits 1 when there is none
  }
}

/** Frame indices must be 0..last, each exactly once, in order. */
function expectEveryIndexOnce(indices: number[]): void {
  expect(indices.length).toBeGreaterThan(0);
  expect(indices).toEqual([...Array(indices.length).keys()]);
}

describe('runPipeline, live clock, against a separately started `edgetrack edge`', () => {
  it('works end to end on lavfi:testsrc: offloads are answered, every frame has one row, no child left behind', async () => {
    const edge = await spawnEdge('T', children);
    const out = tempDir();
    const r = await runPipeline({
      input: 'lavfi:testsrc=size=320x240:rate=10', clock: 'live', maxFrames: 35, durationSeconds: 10, edge: edge.url, token: 'T',
      policy: 'periodic:3', outDir: out, recordTrace: `${out}/measured.trace`,
    });
    expect(r.clock).toBe('live');
    // 35 frames read (3.5 s at 10 fps): at least 35 rows, dropped ones included, even if the last one
    // read was dropped (more when the source's own mailbox skipped indices on a loaded machine)
    expect(r.frames).toBeGreaterThanOrEqual(35);
    expect(r.offloads).toBeGreaterThan(3);
    expect(r.answered).toBeGreaterThan(2);
    expect(r.failed).toBe(0);
    expect(r.detectionLatencyMs.p50).toBeGreaterThan(0);
    const rows = readRows(r.files.frames);
    expect(rows.length).toBe(r.frames);
    expectEveryIndexOnce(rows.map((x) => x.frameIndex));
    expect(rows.filter((x) => x.dropped).length).toBe(r.droppedFrames);
    // --record-trace: Pensieve lines `seconds Mbps`
    const trace = readFileSync(`${out}/measured.trace`, 'utf8').trim().split('\n');
    expect(trace.length).toBeGreaterThan(1);
    for (const line of trace) expect(line).toMatch(/^\d+(\.\d+)?\s+\d+(\.\d+)?(e[+-]?\d+)?$/);
    // the source's ffmpeg child is gone; only the edge process (ours) is left until afterEach
    expect(childProcesses().filter((l) => !l.startsWith(String(edge.child.pid)))).toEqual([]);
  }, 90_000);

  it('killing the edge (SIGKILL) mid-run: tracking continues, the run completes, every index has one row, failures counted', async () => {
    const edge = await spawnEdge('T', children);
    let killedAtRow = -1;
    const r = await runPipeline({
      // a real scene (the sample clip looped in real time), so there are tracks to keep following
      input: `loop:${SAMPLE_CLIP}`, clock: 'live', durationSeconds: 5, edge: edge.url, token: 'T',
      policy: 'periodic:2', outDir: tempDir(),
      onProgress: (rows) => {
        if (rows === 15 && killedAtRow < 0) {
          killedAtRow = rows;
          edge.child.kill('SIGKILL');
        }
      },
    });
    expect(killedAtRow).toBe(15);
    expect(await edge.exit).toBe(null); // killed by the signal
    expect(isAlive(edge.child.pid)).toBe(false);
    const facts = JSON.stringify({ frames: r.frames, dropped: r.droppedFrames, answered: r.answered, failed: r.failed, failuresByCode: r.failuresByCode });
    expect(r.frames, facts).toBeGreaterThan(25);
    const rows = readRows(r.files.frames);
    expect(rows.length).toBe(r.frames);
    expectEveryIndexOnce(rows.map((x) => x.frameIndex));
    // answers before the kill, failures after it
    expect(r.answered, facts).toBeGreaterThan(0);
    expect(r.failed, facts).toBeGreaterThan(0);
    expect(Object.keys(r.failuresByCode).every((c) => ['disconnected', 'timeout', 'closed'].includes(c)), facts).toBe(true);
    const okRows = rows.filter((x) => x.applied.some((a) => a.status === 'ok')).map((x) => x.frameIndex);
    const failedRows = rows.filter((x) => x.applied.some((a) => a.status === 'failed')).map((x) => x.frameIndex);
    expect(Math.max(...okRows), `answered rows ${okRows.join(',')}; failed rows ${failedRows.join(',')}`).toBeLessThan(Math.min(...failedRows) + 3);
    // tracking kept going after the edge died: well after the kill the rows still have tracked objects
    const late = rows.filter((x) => x.frameIndex >= killedAtRow + 10 && !x.dropped);
    expect(late.length, facts).toBeGreaterThan(0);
    const untracked = late.filter((x) => !x.tracks.some((t) => t.state === 'tracked')).map((x) => x.frameIndex);
    expect(untracked, `rows without a tracked object after the kill (late rows ${late.length}); ${facts}`).toEqual([]);
    expect(childProcesses()).toEqual([]);
  }, 90_000);
});
