import { ENERGY_COMPONENTS } from '../energy.js';
import { type PolicySummary, type Spread, summarizeByPolicy } from '../policy-summary.js';
import type { RunSummary } from '../run-summary.js';

/** Options of {@link renderMarkdownReport}. */
export interface MarkdownReportOptions {
  /** First heading. Default "edgetrack evaluation". */
  readonly title?: string;
  /** Input video (or benchmark folder) named in the header. */
  readonly input?: string;
  /** Relative path of the Pareto figure to embed (e.g. `pareto.png`); omitted when undefined. */
  readonly paretoImage?: string;
  /** Notes listed under the header (e.g. sequences skipped, runs taken from the cache). */
  readonly notes?: readonly string[];
}

const fix = (v: number | undefined, digits: number): string => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits));
const cell = (s: string): string => s.replace(/\|/g, '\\|');
const meanSd = (s: Spread, digits: number): string => (s.n === 0 ? 'n/a' : s.n > 1 ? `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}` : s.mean.toFixed(digits));

const GROUND_TRUTH_TEXT: Readonly<Record<RunSummary['groundTruth'], string>> = {
  human: '**human** (MOT gt.txt)',
  oracle: '**oracle** (detector on every frame at full quality; not human labels)',
  none: '**none** (not scored: metrics n/a)',
};

const SUMMARY_HEAD = [
  '| policy | runs | mAR (mean ± sd) | HOTA | MOTA | IDF1 | MB sent | channel % | energy J |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];

function summaryRow(s: PolicySummary, lead: string[] = []): string {
  const cells = [
    ...lead.map(cell), cell(s.policy), String(s.runs), meanSd(s.mar, 3), meanSd(s.hota, 3), meanSd(s.mota, 3), meanSd(s.idf1, 3),
    fix(s.bytesSent.mean / 1e6, 2), s.channelFraction.n ? fix(s.channelFraction.mean * 100, 1) : 'n/a', fix(s.deviceEnergyJ.mean, 1),
  ];
  return `| ${cells.join(' | ')} |`;
}

/**
 * Markdown report of a set of runs. It leads with the per-policy summary (mean ± sd over every run of
 * the policy: sequences × traces), then per trace group and per sequence when there are several,
 * then one row per run and the energy breakdown. Names the ground truth and the scored classes. Pure.
 */
export function renderMarkdownReport(results: readonly RunSummary[], options: MarkdownReportOptions = {}): string {
  const rows = [...results].sort((a, b) => (a.sequence ?? '').localeCompare(b.sequence ?? '') || a.trace.localeCompare(b.trace) || a.policy.localeCompare(b.policy));
  const gts = [...new Set(rows.map((r) => r.groundTruth))];
  const withSeq = rows.some((r) => r.sequence !== undefined);
  const lines: string[] = [`# ${options.title ?? 'edgetrack evaluation'}`, ''];
  if (options.input) lines.push(`Input: \`${options.input}\``, '');
  lines.push(`Ground truth: ${gts.length === 0 ? 'none' : gts.map((g) => GROUND_TRUTH_TEXT[g]).join(' and ')}.`);
  const classLines = [...new Set(rows.filter((r) => r.classSource).map((r) => `${r.sequence ? `${r.sequence}: ` : ''}${r.classSource}`))];
  if (classLines.length === 1) lines.push(`Scored class: ${classLines[0]}.`);
  else if (classLines.length > 1) lines.push('Scored classes:', '', ...classLines.map((c) => `- ${c}`), '');
  lines.push(
    'mAR = COCO average recall over IoU 0.50:0.05:0.95 (maxDets 100) on every output frame; precision and F1 at IoU 0.5.',
    'HOTA, MOTA and IDF1 as TrackEval computes them (human ground truth only: the oracle has no identities); see docs/metrics.md.',
    'Channel % = bytes sent / bytes sent by `full` on the same trace.',
    '',
  );
  for (const n of options.notes ?? []) lines.push(`- ${n}`);
  if (options.notes?.length) lines.push('');
  const warnings = rows.flatMap((r) => (r.warnings ?? []).map((w) => `${r.sequence ? `${r.sequence}, ` : ''}${r.trace}, ${r.policy}: ${w}`));
  if (warnings.length) {
    lines.push('## Warnings', '', ...[...new Set(warnings)].slice(0, 20).map((w) => `- **${cell(w)}**`));
    if (warnings.length > 20) lines.push(`- … and ${warnings.length - 20} more (report.json)`);
    lines.push('');
  }
  lines.push('## Summary per policy', '', `Mean over ${withSeq ? 'sequences × traces' : 'traces'} (± sample standard deviation).`, '', ...SUMMARY_HEAD);
  for (const s of summarizeByPolicy(rows)) lines.push(summaryRow(s));
  const groups = new Set(rows.map((r) => r.traceGroup ?? r.trace));
  if (groups.size > 1 && groups.size < rows.length && groups.size <= 20) {
    lines.push('', '## Per trace group', '', `| trace group ${SUMMARY_HEAD[0]}`, `| --- ${SUMMARY_HEAD[1]}`);
    for (const s of summarizeByPolicy(rows, (r) => r.traceGroup ?? r.trace)) lines.push(summaryRow(s, [s.group ?? '']));
  }
  if (withSeq) {
    lines.push('', '## Per sequence', '', `| sequence ${SUMMARY_HEAD[0]}`, `| --- ${SUMMARY_HEAD[1]}`);
    for (const s of summarizeByPolicy(rows, (r) => r.sequence ?? '')) lines.push(summaryRow(s, [s.group ?? '']));
  }
  if (options.paretoImage) lines.push('', '## Trade-off', '', `![mAR vs channel and energy, one point per policy](${options.paretoImage})`);
  const seqHead = withSeq ? '| sequence ' : '';
  const seqRule = withSeq ? '| --- ' : '';
  lines.push(
    '',
    '## Results per run',
    '',
    `${seqHead}| trace | policy | frames | mAR | AR50 | precision | F1 | HOTA | MOTA | IDF1 | offloads | MB sent | channel % | Katch-Up frames | energy J | latency p50 / p95 ms | wall s |`,
    `${seqRule}| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
  );
  for (const r of rows) {
    const seq = withSeq ? `| ${cell(r.sequence ?? '')} ` : '';
    lines.push(`${seq}| ${cell(r.trace)} | ${cell(r.policy)} | ${r.frames} | ${fix(r.mar, 3)} | ${fix(r.ar50, 3)} | ${fix(r.precision, 3)} | ${fix(r.f1, 3)} | ${fix(r.hota, 3)} | ${fix(r.mota, 3)} | ${fix(r.idf1, 3)} | ${r.offloads} | ${fix(r.bytesSent / 1e6, 2)} | ${r.channelFraction === undefined ? 'n/a' : fix(r.channelFraction * 100, 1)} | ${r.katchupFrames} | ${fix(r.deviceEnergyJ, 1)} | ${fix(r.detectionLatencyMs.p50, 0)} / ${fix(r.detectionLatencyMs.p95, 0)} | ${fix(r.wallSeconds, 1)} |`);
  }
  lines.push('', '## Device energy by component (J)', '', `${seqHead}| trace | policy | ${ENERGY_COMPONENTS.join(' | ')} | total |`, `${seqRule}| --- | --- | ${ENERGY_COMPONENTS.map(() => '---:').join(' | ')} | ---: |`);
  for (const r of rows) {
    const seq = withSeq ? `| ${cell(r.sequence ?? '')} ` : '';
    lines.push(`${seq}| ${cell(r.trace)} | ${cell(r.policy)} | ${ENERGY_COMPONENTS.map((c) => fix(r.energyByComponent[c], 2)).join(' | ')} | ${fix(r.energyByComponent.total, 2)} |`);
  }
  lines.push('');
  return lines.join('\n');
}
