import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverSequences, isBenchmarkFolder, readCachedRun, runCacheKey, runExperiment, writeCacheKey } from '../../src/pipeline/index.js';
import { SAMPLE_CLIP, tempDir, useTempCacheDir } from './helpers.js';

useTempCacheDir();

/** Boxes on frames 1..n of the sample clip (hand-placed pedestrians-sized boxes; the numbers only need to be valid). */
const gtRows = (n: number, col8: string): string => Array.from({ length: n }, (_, i) => `${i + 1},1,${100 + i},200,40,90,1,${col8}\n${i + 1},2,400,${150 + i},35,80,1,${col8}\n`).join('');

/** seqA: video + seqinfo (person); seqB: video, MOT17 column 8 = 3 (car), no seqinfo; seqC: gt only. */
function makeBenchmark(): string {
  const root = tempDir('edgetrack-bench-');
  for (const s of ['seqA', 'seqB', 'seqC']) mkdirSync(join(root, s));
  symlinkSync(SAMPLE_CLIP, join(root, 'seqA', 'video.mp4'));
  writeFileSync(join(root, 'seqA', 'gt.txt'), gtRows(8, '-1,-1,-1'));
  writeFileSync(join(root, 'seqA', 'seqinfo.ini'), '[Sequence]\nname=seqA\nobjectClass=person\n');
  symlinkSync(SAMPLE_CLIP, join(root, 'seqB', 'video.mp4'));
  writeFileSync(join(root, 'seqB', 'gt.txt'), gtRows(8, '3,1.0'));
  writeFileSync(join(root, 'seqC', 'gt.txt'), gtRows(2, '-1,-1,-1'));
  return root;
}

describe('benchmark folders', () => {
  it('discovers sequences with video and gt.txt, and says why others are left out', () => {
    const root = makeBenchmark();
    expect(isBenchmarkFolder(root)).toBe(true);
    expect(isBenchmarkFolder(join(root, 'seqA'))).toBe(false);
    const b = discoverSequences(root);
    expect(b.sequences.map((s) => s.name)).toEqual(['seqA', 'seqB']);
    expect(b.skipped).toEqual([{ name: 'seqC', reason: 'no video.mp4 and no img1/ image folder' }]);
  });

  it('PETS09-S2L1 without video.mp4 uses the fetched vtest.avi, else says where it looked', () => {
    const root = tempDir('edgetrack-bench-');
    mkdirSync(join(root, 'PETS09-S2L1'));
    writeFileSync(join(root, 'PETS09-S2L1', 'gt.txt'), gtRows(2, '-1,-1,-1'));
    const saved = process.env.XDG_CACHE_HOME;
    try {
      process.env.XDG_CACHE_HOME = tempDir('edgetrack-xdg-');
      const missing = discoverSequences(root);
      expect(missing.sequences).toEqual([]);
      expect(missing.skipped[0].reason).toMatch(/no video\.mp4 and no img1\/ image folder \(nor .*edgetrack\/vtest\.avi or /);
      mkdirSync(join(process.env.XDG_CACHE_HOME, 'edgetrack'));
      writeFileSync(join(process.env.XDG_CACHE_HOME, 'edgetrack', 'vtest.avi'), 'x');
      expect(discoverSequences(root).sequences.map((q) => q.input)).toEqual([join(process.env.XDG_CACHE_HOME, 'edgetrack', 'vtest.avi')]);
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });

  it('runs every sequence × trace × policy with its own class, summarises per policy, and takes unchanged runs from the cache', async () => {
    const root = makeBenchmark();
    const out = tempDir();
    const options = { input: root, traces: ['wifi-good'], policies: ['periodic:4', 'never'], outDir: out, maxFrames: 8 };
    const first = await runExperiment(options);
    expect(first.runsPlanned).toBe(4);
    expect(first.cachedRuns).toBe(0);
    expect(first.results.map((r) => [r.sequence, r.policy, r.scoredClasses])).toEqual([
      ['seqA', 'periodic:4,high,full', ['person']], ['seqA', 'never', ['person']],
      ['seqB', 'periodic:4,high,full', ['car']], ['seqB', 'never', ['car']],
    ]);
    expect(first.results[0].classSource).toMatch(/^person \(objectClass in .*seqA\/seqinfo\.ini\)$/);
    expect(first.results[2].classSource).toBe('car (MOT class ids in column 8)');
    for (const r of first.results) expect(Number.isFinite(r.hota)).toBe(true);
    const report = JSON.parse(readFileSync(first.files.report, 'utf8')) as { summary: { policy: string; runs: number }[]; summaryBySequence: unknown[]; skippedSequences: unknown[] };
    expect(report.summary.map((s) => [s.policy, s.runs])).toEqual([['periodic:4,high,full', 2], ['never', 2]]);
    expect(report.summaryBySequence).toHaveLength(4);
    expect(report.skippedSequences).toEqual([{ name: 'seqC', reason: 'no video.mp4 and no img1/ image folder' }]);
    const md = readFileSync(first.files.markdown, 'utf8');
    expect(md).toContain('## Summary per policy');
    expect(md).toContain('## Per sequence');
    expect(md).toContain('Sequence seqC left out');

    const second = await runExperiment(options);
    expect(second.cachedRuns).toBe(4);
    expect(second.results.map((r) => r.mar)).toEqual(first.results.map((r) => r.mar));
    const forced = await runExperiment({ ...options, policies: ['never'], noCache: true });
    expect(forced.cachedRuns).toBe(0);
  });

  it('checks every sequence\'s ground truth and classes before the first run', async () => {
    const root = makeBenchmark();
    const out = join(tempDir(), 'out');
    await expect(runExperiment({ input: root, traces: ['wifi-good'], policies: ['never'], outDir: out, classes: [2] }))
      .rejects.toThrow(/--classes car excludes every ground-truth class of .*seqA\/gt\.txt: person/);
    await expect(runExperiment({ input: root, traces: ['wifi-good'], policies: ['never'], outDir: out, gt: 'x.txt' })).rejects.toThrow(/benchmark folder.*drop --gt/);
  });
});

describe('run cache keys', () => {
  it('change with the inputs, the trace, the policy and the options; a different key is a miss', () => {
    const dir = tempDir();
    const video = join(dir, 'v.mp4');
    const trace = join(dir, 't.csv');
    writeFileSync(video, 'x');
    writeFileSync(trace, '0,1\n');
    const base = { input: video, trace, policy: 'full', maxFrames: 5 };
    const k = runCacheKey(base);
    expect(runCacheKey(base)).toBe(k);
    expect(runCacheKey({ ...base, policy: 'never' })).not.toBe(k);
    expect(runCacheKey({ ...base, maxFrames: 6 })).not.toBe(k);
    expect(runCacheKey({ ...base, trace: 'wifi-good' })).not.toBe(k);
    writeFileSync(trace, '0,2\n');
    expect(runCacheKey(base)).not.toBe(k);
    writeFileSync(join(dir, 'report.json'), '{"mar":0.5}');
    expect(readCachedRun(dir, k)).toBeUndefined();
    writeCacheKey(dir, k);
    expect(readCachedRun(dir, k)).toEqual({ mar: 0.5 });
    expect(readCachedRun(dir, `${k}0`)).toBeUndefined();
  });
});
