import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type EnergyBreakdown, type RunSummary, latencySummary, paretoPoints, paretoSpec, percentile, renderMarkdownReport, renderParetoSvg, spread, summarizeByPolicy,
  withChannelFractions, writeParetoPlots,
} from '../../src/eval/index.js';

const energy = (total: number): EnergyBreakdown => ({
  tracking: total * 0.2, katchup: total * 0.05, encode: total * 0.05, radioTx: total * 0.1, radioRx: 0.01, radioTail: 0, idle: total * 0.6 - 0.01, total,
});

function summary(policy: string, trace: string, mar: number, bytesSent: number, energyJ: number): RunSummary {
  return {
    policy, trace, frames: 795, mar, ar50: Math.min(1, mar + 0.3), precision: 0.8, f1: 0.75, groundTruth: 'human', offloads: Math.round(bytesSent / 40_000),
    bytesSent, katchupFrames: 120, deviceEnergyJ: energyJ, energyByComponent: energy(energyJ), detectionLatencyMs: { p50: 85, p95: 240 }, wallSeconds: 12.5,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'edgetrack-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runs = withChannelFractions([
  summary('full', 'wifi-good', 0.62, 30_000_000, 420),
  summary('never', 'wifi-good', 0.12, 40_000, 300),
  summary('periodic:10,high,full', 'wifi-good', 0.48, 3_000_000, 330),
  summary('minimal', 'wifi-good', 0.3, 150_000, 305),
  summary('heuristic', 'wifi-good', 0.52, 2_000_000, 325),
  summary('full', 'lte-drive', 0.55, 20_000_000, 520),
  summary('never', 'lte-drive', 0.12, 40_000, 310),
  summary('periodic:10,high,full', 'lte-drive', 0.41, 3_000_000, 380),
  summary('minimal', 'lte-drive', 0.28, 150_000, 330),
  summary('heuristic', 'lte-drive', 0.47, 1_800_000, 360),
]);

describe('percentile', () => {
  it('linear interpolation between closest ranks (numpy default)', () => {
    // [10, 20, 30, 40]: p50 at rank 1.5 → 25; p95 at rank 2.85 → 30 + 0.85·10 = 38.5
    expect(percentile([40, 10, 30, 20], 50)).toBe(25);
    expect(percentile([40, 10, 30, 20], 95)).toBeCloseTo(38.5, 12);
    expect(percentile([7], 95)).toBe(7);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
    expect(latencySummary([100, 200])).toEqual({ p50: 150, p95: 195 });
    expect(() => percentile([1], 101)).toThrow(/percentile: expected a number in \[0, 100\], got 101/);
  });
});

describe('withChannelFractions', () => {
  it('divides by the bytes of full on the same trace', () => {
    const r = runs.find((x) => x.policy === 'periodic:10,high,full' && x.trace === 'lte-drive')!;
    expect(r.channelFraction).toBeCloseTo(3 / 20, 12);
    expect(runs.find((x) => x.policy === 'full')!.channelFraction).toBe(1);
    expect(withChannelFractions([summary('never', 'x', 0.1, 10, 1)])[0].channelFraction).toBeUndefined();
  });
});

describe('renderMarkdownReport', () => {
  it('has a results row per run, the energy table, and names the ground truth', () => {
    const md = renderMarkdownReport(runs, { input: 'vtest.avi', paretoImage: 'pareto.png' });
    expect(md).toContain('Ground truth: **human** (MOT gt.txt)');
    expect(md).toContain('| lte-drive | periodic:10,high,full | 795 | 0.410 | 0.710 | 0.800 | 0.750 | n/a | n/a | n/a | 75 | 3.00 | 15.0 | 120 | 380.0 | 85 / 240 | 12.5 |');
    expect(md).toContain('| trace | policy | tracking | katchup | encode | radioTx | radioRx | radioTail | idle | total |');
    expect(md).toContain('![mAR vs channel and energy, one point per policy](pareto.png)');
    const resultRows = md.split('\n').filter((l) => /^\| (wifi-good|lte-drive) \|/.test(l));
    expect(resultRows).toHaveLength(30); // 10 per-trace summary rows + 10 results + 10 energy rows
  });

  it('says oracle when the ground truth is the oracle; n/a for NaN', () => {
    const md = renderMarkdownReport([{ ...summary('x|y', 't', Number.NaN, 0, 1), groundTruth: 'oracle' }]);
    expect(md).toContain('**oracle**');
    expect(md).toContain('| t | x\\|y | 795 | n/a |');
  });

  it('leads with the per-policy summary: mean ± sd over traces, HOTA/MOTA/IDF1 when scored', () => {
    const tracked = runs.map((r) => ({ ...r, hota: r.mar / 2, mota: r.mar - 0.1, idf1: r.mar + 0.1 }));
    const md = renderMarkdownReport(tracked);
    expect(md.indexOf('## Summary per policy')).toBeLessThan(md.indexOf('## Results per run'));
    // heuristic: mAR 0.52 and 0.47 → mean 0.495, sd √((0.025² · 2)/1) = 0.0354; HOTA half of that
    expect(md).toContain('| heuristic | 2 | 0.495 ± 0.035 | 0.247 ± 0.018 | 0.395 ± 0.035 | 0.595 ± 0.035 | 1.90 |');
  });

  it('adds per-sequence and per-trace-group tables for benchmarks', () => {
    const bench = ['a', 'b'].flatMap((seq) => runs.map((r) => ({ ...r, sequence: seq, traceGroup: r.trace.startsWith('wifi') ? 'wifi' : 'cell' })));
    const md = renderMarkdownReport(bench);
    expect(md).toContain('## Per sequence');
    expect(md).toContain('## Per trace group');
    expect(md).toMatch(/\| a \| full \| 2 \| 0\.585 ± /);
    expect(md).toMatch(/\| wifi \| never \| 2 \| 0\.120 ± 0\.000 /);
  });
});

describe('Pareto plots', () => {
  it('spec: two panels, one point per policy at the mean, ± 1 sd bars, colour = policy', () => {
    const spec = paretoSpec(runs) as unknown as { hconcat: { layer: { encoding: Record<string, { field: string }> }[] }[] };
    expect(spec.hconcat).toHaveLength(2);
    expect(spec.hconcat.map((p) => p.layer[2].encoding.x.field)).toEqual(['channelFraction', 'deviceEnergyJ']);
    expect(spec.hconcat[0].layer[2].encoding.color.field).toBe('policy');
    const pts = paretoPoints(runs);
    expect(pts.map((p) => p.policy)).toEqual(['full', 'never', 'periodic:10,high,full', 'minimal', 'heuristic']);
    const h = pts.find((p) => p.policy === 'heuristic')!;
    expect(h.mar).toBeCloseTo(0.495, 12);
    expect(h.marLo).toBeCloseTo(0.47, 12); // 0.495 − 0.0354 clipped to the minimum 0.47
    expect(h.energyHi).toBeCloseTo(360, 12);
  });

  it('stays readable with 120 traces: the legend lists the policies only', async () => {
    const many = withChannelFractions(Array.from({ length: 120 }, (_, i) => ['full', 'never', 'heuristic'].map((p, k) =>
      summary(p, `trace-${String(i).padStart(3, '0')}`, 0.2 + 0.2 * k + (i % 7) / 100, [30e6, 4e4, 2e6][k] * (1 + (i % 5) / 10), 300 + 50 * k + i))).flat());
    expect(paretoPoints(many)).toHaveLength(3);
    const svg = await renderParetoSvg(many);
    expect(svg).not.toContain('trace-000');
    expect(svg).not.toMatch(/entries/);
    for (const p of ['full', 'never', 'heuristic']) expect(svg).toContain(p);
  });

  it('spread: mean, sample sd, range; NaN when nothing is finite', () => {
    expect(spread([1, 3, Number.NaN, undefined])).toEqual({ mean: 2, sd: Math.SQRT2, min: 1, max: 3, n: 2 });
    expect(spread([Number.NaN]).n).toBe(0);
    expect(summarizeByPolicy(runs).map((s) => [s.policy, s.runs])).toEqual([['full', 2], ['never', 2], ['periodic:10,high,full', 2], ['minimal', 2], ['heuristic', 2]]);
  });

  it('SVG has both titles, the axis titles and the legend entries', async () => {
    const svg = await renderParetoSvg(runs);
    for (const text of ['mAR vs channel use', 'mAR vs device energy', 'device energy (J)', 'heuristic', 'periodic:10,high,full']) expect(svg).toContain(text);
    expect((svg.match(/<path[^>]*class="[^"]*"/g) ?? []).length).toBeGreaterThan(0);
  });

  it('writes pareto.svg and a PNG', async () => {
    const r = await writeParetoPlots(runs, join(dir, 'out'));
    expect(r.points).toBe(5); // one per policy
    const png = readFileSync(r.pngPath);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThan(1000); // width at 2× zoom
    expect(readFileSync(r.svgPath, 'utf8').startsWith('<svg')).toBe(true);
  });
});
