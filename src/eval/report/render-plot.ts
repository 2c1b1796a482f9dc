import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { findSansFont } from './fonts.js';

/** What {@link writeVegaLitePlot} wrote. */
export interface WrittenPlot {
  readonly svgPath: string;
  readonly pngPath: string;
  /** Font used for the PNG text; null when none was found. */
  readonly font: string | null;
}

/**
 * Renders a Vega-Lite spec to `<base>.svg` and `<base>.png` (headless Vega, resvg; PNG at `scale`×).
 * `spec` receives the font family found on this machine. Vega, Vega-Lite and resvg load on first use.
 */
export async function writeVegaLitePlot(spec: (fontFamily: string) => TopLevelSpec, base: string, scale = 2): Promise<WrittenPlot> {
  const font = findSansFont();
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vl.compile(spec(font?.family ?? 'sans-serif')).spec), { renderer: 'none' });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const { Resvg } = await import('@resvg/resvg-js');
  const png = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, fontFiles: font ? [font.file] : [], ...(font ? { defaultFontFamily: font.family, sansSerifFamily: font.family } : {}) },
  }).render().asPng();
  mkdirSync(dirname(base), { recursive: true });
  const svgPath = `${base}.svg`;
  const pngPath = `${base}.png`;
  writeFileSync(svgPath, svg);
  writeFileSync(pngPath, png);
  return { svgPath, pngPath, font: font?.family ?? null };
}
