import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { type Spread, summarizeByPolicy } from '../policy-summary.js';
import type { RunSummary } from '../run-summary.js';
import { findSansFont } from './fonts.js';

/** Options of {@link writeParetoPlots}. */
export interface ParetoPlotOptions {
  /** Base name of the files written. Default `pareto` → pareto.svg, pareto.png. */
  readonly baseName?: string;
  /** PNG scale factor over the SVG size. Default 2. */
  readonly scale?: number;
  /** Extra font directories searched first (e.g. a folder with DejaVuSans.ttf). */
  readonly fontDirs?: readonly string[];
}

/** What {@link writeParetoPlots} wrote. */
export interface ParetoPlotResult {
  readonly svgPath: string;
  readonly pngPath: string;
  /** Points plotted: policies with a run with a finite mAR. */
  readonly points: number;
  /** Font used for the PNG text; null when none was found (PNG without text, see docs/metrics.md). */
  readonly font: string | null;
}

interface Row {
  policy: string;
  runs: number;
  mar: number;
  marLo: number;
  marHi: number;
  channelFraction: number | null;
  channelLo: number | null;
  channelHi: number | null;
  deviceEnergyJ: number;
  energyLo: number;
  energyHi: number;
}

/** mean ± sd, clipped to the observed [min, max] (so a log axis never sees a value ≤ 0). */
const band = (s: Spread): [number, number] => [Math.max(s.min, s.mean - s.sd), Math.min(s.max, s.mean + s.sd)];

/** One plotted point per policy: the means over its runs, with ± 1 sd bars (exported for tests). */
export function paretoPoints(results: readonly RunSummary[]): Row[] {
  return summarizeByPolicy(results.filter((r) => Number.isFinite(r.mar))).map((p) => {
    const [marLo, marHi] = band(p.mar);
    const [energyLo, energyHi] = band(p.deviceEnergyJ);
    const ch = p.channelFraction.n > 0 && p.channelFraction.min > 0 ? band(p.channelFraction) : null;
    return {
      policy: p.policy, runs: p.runs, mar: p.mar.mean, marLo, marHi,
      channelFraction: ch ? p.channelFraction.mean : null, channelLo: ch ? ch[0] : null, channelHi: ch ? ch[1] : null,
      deviceEnergyJ: p.deviceEnergyJ.mean, energyLo, energyHi,
    };
  });
}

/**
 * The Vega-Lite spec of the two-panel figure (exported for tests and for custom rendering): one point
 * per policy at the mean over its runs (every sequence and trace), with ± 1 sd bars on both axes;
 * colour = policy, so the legend has one entry per policy however many traces were run.
 */
export function paretoSpec(results: readonly RunSummary[], fontFamily = 'sans-serif'): TopLevelSpec {
  const values = paretoPoints(results);
  const y = { field: 'mar', type: 'quantitative' as const, title: 'mAR (mean over runs, ± 1 sd)', scale: { zero: false, nice: true } };
  const color = { field: 'policy', type: 'nominal' as const, title: 'policy', scale: { scheme: 'tableau10' } };
  const tooltip = [{ field: 'policy' }, { field: 'runs' }, { field: 'mar', format: '.3f' }];
  const panel = (title: string, x: string, lo: string, hi: string, xTitle: string, scale: Record<string, unknown>, filter?: string) => ({
    width: 340,
    height: 280,
    title,
    ...(filter ? { transform: [{ filter }] } : {}),
    layer: [
      { mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.7 }, encoding: { x: { field: x, type: 'quantitative', title: xTitle, scale }, y: { field: 'marLo', type: 'quantitative' }, y2: { field: 'marHi' }, color } },
      { mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.7 }, encoding: { x: { field: lo, type: 'quantitative' }, x2: { field: hi }, y, color } },
      { mark: { type: 'point', filled: true, size: 120, opacity: 0.95 }, encoding: { x: { field: x, type: 'quantitative' }, y, color, tooltip } },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 12,
    data: { values },
    config: { font: fontFamily, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 }, title: { fontSize: 14 } },
    hconcat: [
      panel('mAR vs channel use', 'channelFraction', 'channelLo', 'channelHi', 'channel: bytes / bytes of full (log)', { type: 'log' }, 'isValid(datum.channelFraction) && datum.channelFraction > 0'),
      panel('mAR vs device energy', 'deviceEnergyJ', 'energyLo', 'energyHi', 'device energy (J)', { zero: false, nice: true }),
    ],
  } as TopLevelSpec;
}

/**
 * Renders the figure to an SVG string (headless Vega, no canvas needed). Vega, Vega-Lite and resvg are
 * imported on first use: they take seconds to load and most users of src/eval never plot.
 */
export async function renderParetoSvg(results: readonly RunSummary[], fontFamily = 'sans-serif'): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(paretoSpec(results, fontFamily)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Writes `pareto.svg` and `pareto.png` into `outDir` (created if needed): two panels, mAR vs channel
 * fraction (log scale) and mAR vs device energy; one point per policy (mean over its runs, ± 1 sd
 * bars), colour = policy. Runs without a finite mAR are left out; policies without a positive
 * channelFraction only appear in the energy panel.
 */
export async function writeParetoPlots(results: readonly RunSummary[], outDir: string, options: ParetoPlotOptions = {}): Promise<ParetoPlotResult> {
  const o = { baseName: 'pareto', scale: 2, fontDirs: [] as readonly string[], ...options };
  const font = findSansFont(o.fontDirs);
  const svg = await renderParetoSvg(results, font?.family ?? 'sans-serif');
  const { Resvg } = await import('@resvg/resvg-js');
  const png = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: o.scale },
    font: {
      loadSystemFonts: true,
      fontFiles: font ? [font.file] : [],
      ...(font ? { defaultFontFamily: font.family, sansSerifFamily: font.family } : {}),
    },
  }).render().asPng();
  mkdirSync(outDir, { recursive: true });
  const svgPath = join(outDir, `${o.baseName}.svg`);
  const pngPath = join(outDir, `${o.baseName}.png`);
  writeFileSync(svgPath, svg);
  writeFileSync(pngPath, png);
  return { svgPath, pngPath, points: paretoPoints(results).length, font: font?.family ?? null };
}
