import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDetect } from '../../src/detector/run-detect.js';
import { writeYolov8Model } from './fixtures/tiny-yolov8.js';

const tmp = mkdtempSync(join(tmpdir(), 'edgetrack-run-detect-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('runDetect on a live source', () => {
  it('reads a lavfi test pattern (latest-frame-wins), stops after maxFrames and writes rows per frame', async () => {
    const model = join(tmp, 'tiny.onnx');
    writeYolov8Model(model);
    const out = join(tmp, 'live.txt');
    const summary = await runDetect({ input: 'lavfi:testsrc=rate=20:size=256x128', out, maxFrames: 3, detector: { model, threads: 1 } });
    expect(summary.frames).toBe(3);
    expect(summary.rows).toBe(6);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(6);
    // same two boxes per frame (constant model output), 1-based frame numbers increasing
    const frames = rows.map((r) => Number(r.split(',')[0]));
    expect(frames[0]).toBeGreaterThanOrEqual(1);
    expect(rows.map((r) => r.split(',').slice(1).join(','))).toEqual([0, 1, 2].flatMap(() => ['-1,60,36,40,80,0.9000,0,-1,-1', '-1,170,44,60,40,0.6000,2,-1,-1']));
    for (let i = 2; i < frames.length; i += 2) expect(frames[i]).toBeGreaterThan(frames[i - 2]);
  }, 30_000);
});
