import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
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
  /** Points plotted (runs with a finite mAR). */
  readonly points: number;
  /** Font used for the PNG text; null when none was found (PNG without text, see docs/metrics.md). */
  readonly font: string | null;
}

interface Row {
  policy: string;
  trace: string;
  mar: number;
  channelFraction: number | null;
  deviceEnergyJ: number;
}

/** The Vega-Lite spec of the two-panel figure (exported for tests and for custom rendering). */
export function paretoSpec(results: readonly RunSummary[], fontFamily = 'sans-serif'): TopLevelSpec {
  const values: Row[] = results
    .filter((r) => Number.isFinite(r.mar))
    .map((r) => ({
      policy: r.policy,
      trace: r.trace,
      mar: r.mar,
      channelFraction: r.channelFraction !== undefined && Number.isFinite(r.channelFraction) ? r.channelFraction : null,
      deviceEnergyJ: r.deviceEnergyJ,
    }));
  const common = {
    width: 340,
    height: 280,
    mark: { type: 'point' as const, filled: true, size: 110, opacity: 0.85 },
  };
  const y = { field: 'mar', type: 'quantitative' as const, title: 'mAR', scale: { zero: false, nice: true } };
  const color = { field: 'policy', type: 'nominal' as const, title: 'policy', scale: { scheme: 'tableau10' } };
  const shape = { field: 'trace', type: 'nominal' as const, title: 'trace' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 12,
    data: { values },
    config: { font: fontFamily, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 }, title: { fontSize: 14 } },
    hconcat: [
      {
        ...common,
        title: 'mAR vs channel use',
        transform: [{ filter: 'isValid(datum.channelFraction) && datum.channelFraction > 0' }],
        encoding: {
          x: { field: 'channelFraction', type: 'quantitative', title: 'channel: bytes / bytes of full (log)', scale: { type: 'log' }, axis: { format: '~%' } },
          y, color, shape,
        },
      },
      {
        ...common,
        title: 'mAR vs device energy',
        encoding: {
          x: { field: 'deviceEnergyJ', type: 'quantitative', title: 'device energy (J)', scale: { zero: false, nice: true } },
          y, color, shape,
        },
      },
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
 * fraction (log scale) and mAR vs device energy; one point per run, colour = policy, shape = trace.
 * Runs without a finite mAR are left out; runs without a positive channelFraction only appear in the
 * energy panel.
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
  return { svgPath, pngPath, points: results.filter((r) => Number.isFinite(r.mar)).length, font: font?.family ?? null };
}
