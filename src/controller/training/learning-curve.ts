import type { TopLevelSpec } from 'vega-lite';
import { type WrittenPlot, writeVegaLitePlot } from '../../eval/report/render-plot.js';
import type { TrainCurvePoint } from '../learn/index.js';

/**
 * The learning curve as a Vega-Lite spec: mean training return per episode (light, with a moving
 * average) and mean greedy validation return (points and line), both per frame of episode.
 */
export function learningCurveSpec(curve: readonly TrainCurvePoint[], fontFamily = 'sans-serif'): TopLevelSpec {
  const window = Math.max(1, Math.round(curve.length / 20));
  const values = curve.map((p, i) => {
    const from = Math.max(0, i - window + 1);
    const avg = curve.slice(from, i + 1).reduce((a, q) => a + q.trainReturn, 0) / (i + 1 - from);
    return { episode: p.episode, train: p.trainReturn, trainAvg: avg, val: p.valReturn ?? null };
  });
  const x = { field: 'episode', type: 'quantitative' as const, title: 'training episode' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 560,
    height: 300,
    config: { font: fontFamily },
    title: 'edgetrack train: return per episode (mAR − λc·Mbit/s − λe·W, summed over frames)',
    data: { values },
    layer: [
      { mark: { type: 'line', opacity: 0.25, color: '#4c78a8' }, encoding: { x, y: { field: 'train', type: 'quantitative', title: 'episode return' } } },
      { mark: { type: 'line', color: '#4c78a8' }, encoding: { x, y: { field: 'trainAvg', type: 'quantitative' } } },
      {
        transform: [{ filter: 'datum.val !== null' }],
        mark: { type: 'line', point: true, color: '#e45756' },
        encoding: { x, y: { field: 'val', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

/** Writes `<base>.png` and `<base>.svg` of the learning curve. */
export function writeLearningCurve(curve: readonly TrainCurvePoint[], base: string): Promise<WrittenPlot> {
  return writeVegaLitePlot((font) => learningCurveSpec(curve, font), base);
}
