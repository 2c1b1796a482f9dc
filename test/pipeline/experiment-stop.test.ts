import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/pipeline/index.js';
import { SAMPLE_CLIP, tempDir, useTempCacheDir } from './helpers.js';

// the runs score against the oracle: keep its cache out of the user's ~/.cache
useTempCacheDir();

describe('runExperiment with a stop signal', () => {
  it('aborted after the first run: no further run starts; the reports cover the run done and say interrupted', async () => {
    const out = tempDir();
    const controller = new AbortController();
    const result = await runExperiment({
      input: SAMPLE_CLIP, traces: ['wifi-good'], policies: ['never', 'periodic:5', 'full'], outDir: out, maxFrames: 8,
      signal: controller.signal,
      onRun: () => controller.abort(),
    });
    expect(result.interrupted).toBe(true);
    expect(result.runsPlanned).toBe(3);
    expect(result.results.map((r) => r.policy)).toEqual(['never']);
    const report = JSON.parse(readFileSync(result.files.report, 'utf8')) as { interrupted: boolean; runsPlanned: number; results: unknown[] };
    expect(report).toMatchObject({ interrupted: true, runsPlanned: 3 });
    expect(report.results).toHaveLength(1);
    expect(readFileSync(result.files.markdown, 'utf8')).toMatch(/interrupted: 1 of 3 runs/);
    expect(existsSync(result.files.paretoPng)).toBe(true);
    expect(existsSync(join(out, 'runs', 'wifi-good', 'periodic_5'))).toBe(false); // never started
  });

  it('aborted before it starts: no run, empty reports that still parse and plot', async () => {
    const result = await runExperiment({
      input: SAMPLE_CLIP, traces: ['wifi-good'], policies: ['never', 'full'], outDir: tempDir(), maxFrames: 8, signal: AbortSignal.abort(),
    });
    expect(result).toMatchObject({ interrupted: true, runsPlanned: 2, results: [] });
    expect(JSON.parse(readFileSync(result.files.report, 'utf8'))).toMatchObject({ interrupted: true, results: [] });
    expect(existsSync(result.files.paretoPng)).toBe(true);
  });

  it('not aborted: interrupted false', async () => {
    const result = await runExperiment({
      input: SAMPLE_CLIP, traces: ['wifi-good'], policies: ['never'], outDir: tempDir(), maxFrames: 5, signal: new AbortController().signal,
    });
    expect(result.interrupted).toBe(false);
    expect(result.results).toHaveLength(1);
  });
});
