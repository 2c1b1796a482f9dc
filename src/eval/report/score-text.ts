import { summarizeByPolicy } from '../policy-summary.js';
import type { RunSummary } from '../run-summary.js';
import type { FileScore } from '../score-files.js';

const pct = (v: number | undefined): string => (v !== undefined && Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a');

/** The human-readable table of `edgetrack score`: detection and tracking metrics, one per line. Pure. */
export function renderScoreText(s: FileScore): string {
  const t = s.tracking;
  const lines = [
    `ground truth    ${s.gt}`,
    `predictions     ${s.predictions}`,
    `scored class    ${s.classSource}`,
    `frames          ${s.frames}   gt boxes ${s.gtBoxes}   predicted boxes ${s.predictedBoxes}`,
    '',
    'detection (COCO recall, tracks as detections)',
    `  mAR           ${pct(s.mar)}   (IoU 0.50:0.05:0.95, maxDets 100)`,
    `  AR50          ${pct(s.ar50)}`,
    `  precision     ${pct(s.precision)}   recall ${pct(s.recall)}   F1 ${pct(s.f1)}   (IoU 0.5)`,
  ];
  if (t) {
    lines.push(
      '',
      'tracking (TrackEval conventions)',
      `  HOTA          ${pct(t.hota)}   DetA ${pct(t.detA)}   AssA ${pct(t.assA)}   LocA ${pct(t.locA)}`,
      `  MOTA          ${pct(t.mota)}   MOTP ${pct(t.motp)}`,
      `  IDF1          ${pct(t.idf1)}   IDP ${pct(t.idp)}   IDR ${pct(t.idr)}`,
      `  counts        FP ${t.fp}   FN ${t.fn}   IDSW ${t.idsw}   Frag ${t.frag}`,
      `  trajectories  ${t.gtIds} gt: MT ${t.mt}   PT ${t.pt}   ML ${t.ml}; ${t.trackerIds} predicted`,
    );
  }
  for (const w of s.warnings) lines.push('', `WARNING: ${w}`);
  return `${lines.join('\n')}\n`;
}

/** The per-policy summary as a plain-text table (eval's stdout): mean over runs. Pure. */
export function renderPolicySummaryText(results: readonly RunSummary[]): string {
  const rows = summarizeByPolicy(results);
  const head = `${'policy'.padEnd(28)} ${'runs'.padStart(4)}  ${'mAR'.padStart(6)}  ${'HOTA'.padStart(6)}  ${'MOTA'.padStart(7)}  ${'IDF1'.padStart(6)}  ${'MB sent'.padStart(8)}  ${'energy J'.padStart(8)}`;
  const lines = ['per policy (mean over runs):', head];
  for (const s of rows) {
    lines.push(`${s.policy.padEnd(28)} ${String(s.runs).padStart(4)}  ${pct(s.mar.mean).padStart(6)}  ${pct(s.hota.mean).padStart(6)}  ${pct(s.mota.mean).padStart(7)}  ${pct(s.idf1.mean).padStart(6)}  ${(s.bytesSent.mean / 1e6).toFixed(2).padStart(8)}  ${s.deviceEnergyJ.mean.toFixed(1).padStart(8)}`);
  }
  return `${lines.join('\n')}\n`;
}
