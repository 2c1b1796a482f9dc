import { ENERGY_COMPONENTS } from '../energy.js';
import type { RunSummary } from '../run-summary.js';

/** Options of {@link renderMarkdownReport}. */
export interface MarkdownReportOptions {
  /** First heading. Default "edgetrack evaluation". */
  readonly title?: string;
  /** Input video named in the header. */
  readonly input?: string;
  /** Relative path of the Pareto figure to embed (e.g. `pareto.png`); omitted when undefined. */
  readonly paretoImage?: string;
}

const fix = (v: number | undefined, digits: number): string => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits));
const cell = (s: string): string => s.replace(/\|/g, '\\|');

const GROUND_TRUTH_TEXT: Readonly<Record<RunSummary['groundTruth'], string>> = {
  human: '**human** (MOT gt.txt)',
  oracle: '**oracle** (detector on every frame at full quality; not human labels)',
  none: '**none** (not scored: metrics n/a)',
};

/**
 * Markdown report of a set of runs: accuracy/channel/energy table (rows by trace, then policy),
 * energy breakdown by component, and which ground truth was used. Pure: returns the text.
 */
export function renderMarkdownReport(results: readonly RunSummary[], options: MarkdownReportOptions = {}): string {
  const rows = [...results].sort((a, b) => a.trace.localeCompare(b.trace) || a.policy.localeCompare(b.policy));
  const gts = [...new Set(rows.map((r) => r.groundTruth))];
  const lines: string[] = [`# ${options.title ?? 'edgetrack evaluation'}`, ''];
  if (options.input) lines.push(`Input: \`${options.input}\``, '');
  lines.push(
    `Ground truth: ${gts.length === 0 ? 'none' : gts.map((g) => GROUND_TRUTH_TEXT[g]).join(' and ')}.`,
    'mAR = COCO average recall over IoU 0.50:0.05:0.95 (maxDets 100) on every output frame; precision and F1 at IoU 0.5.',
    'Channel % = bytes sent / bytes sent by `full` on the same trace.',
    '',
    '## Results',
    '',
    '| trace | policy | frames | mAR | AR50 | precision | F1 | offloads | MB sent | channel % | Katch-Up frames | energy J | latency p50 / p95 ms | wall s |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const r of rows) {
    lines.push(`| ${cell(r.trace)} | ${cell(r.policy)} | ${r.frames} | ${fix(r.mar, 3)} | ${fix(r.ar50, 3)} | ${fix(r.precision, 3)} | ${fix(r.f1, 3)} | ${r.offloads} | ${fix(r.bytesSent / 1e6, 2)} | ${r.channelFraction === undefined ? 'n/a' : fix(r.channelFraction * 100, 1)} | ${r.katchupFrames} | ${fix(r.deviceEnergyJ, 1)} | ${fix(r.detectionLatencyMs.p50, 0)} / ${fix(r.detectionLatencyMs.p95, 0)} | ${fix(r.wallSeconds, 1)} |`);
  }
  lines.push('', '## Device energy by component (J)', '', `| trace | policy | ${ENERGY_COMPONENTS.join(' | ')} | total |`, `| --- | --- | ${ENERGY_COMPONENTS.map(() => '---:').join(' | ')} | ---: |`);
  for (const r of rows) {
    lines.push(`| ${cell(r.trace)} | ${cell(r.policy)} | ${ENERGY_COMPONENTS.map((c) => fix(r.energyByComponent[c], 2)).join(' | ')} | ${fix(r.energyByComponent.total, 2)} |`);
  }
  if (options.paretoImage) lines.push('', '## Trade-off', '', `![mAR vs channel and energy](${options.paretoImage})`);
  lines.push('');
  return lines.join('\n');
}
