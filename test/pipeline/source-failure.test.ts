import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline/index.js';
import { SAMPLE_CLIP, ffmpegChildren, removeTempDirs, tempDir } from './helpers.js';

afterAll(() => removeTempDirs());

/**
 * Kills this process's ffmpeg children (the decoder: nothing else runs ffmpeg in these runs; vitest's
 * `forks` pool gives each test file its own process).
 */
const killDecoder = (): number => {
  const pids = ffmpegChildren();
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  return pids.length;
};

describe('a source that fails mid-run (ffmpeg killed)', () => {
  it.each([
    ['the sample clip, replay clock', SAMPLE_CLIP, 'replay' as const],
    ['lavfi:testsrc, live clock', 'lavfi:testsrc=size=160x120:rate=20', 'live' as const],
  ])('%s: the run ends there, every frame taken has its row, the report names the failure', async (_name, input, clock) => {
    const out = tempDir();
    let killed = 0;
    const report = await runPipeline({
      input, clock, policy: 'periodic:5', outDir: out, noEval: true,
      onProgress: (rows) => {
        if (rows === 8 && killed === 0) killed = killDecoder();
      },
    });
    expect(killed).toBe(1);
    expect(report.sourceError).toMatch(/killed by SIGKILL/);
    expect(report.interrupted).toBe(false);
    expect(report.frames).toBeGreaterThanOrEqual(8);
    if (clock === 'replay') expect(report.frames).toBeLessThan(300);
    const written = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { sourceError: string; frames: number };
    expect(written.sourceError).toBe(report.sourceError);
    const rows = readFileSync(join(out, 'frames.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { frameIndex: number }).frameIndex);
    expect(rows).toEqual(Array.from({ length: report.frames }, (_, i) => i));
  });

  it('a source that fails before its first frame still rejects, naming it', async () => {
    await expect(runPipeline({ input: 'lavfi:nosuchfilter', clock: 'live', policy: 'never', outDir: tempDir(), noEval: true })).rejects.toThrow(/nosuchfilter/);
  });
});
