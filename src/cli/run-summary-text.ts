import type { RunReport } from '../pipeline/index.js';

const pct = (v: number | null | undefined): string => (typeof v === 'number' && Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a');

/** Prints the few numbers a person wants after a run, and where the files are. */
export function printRunSummary(r: RunReport): void {
  const lines = [
    `frames          ${r.frames}${r.droppedFrames ? ` (${r.droppedFrames} dropped by the live source)` : ''}${r.interrupted ? ' (interrupted)' : ''}${r.sourceError ? ' (the source failed)' : ''}  [${r.clock} clock, ${r.fps} fps]`,
    `policy          ${r.policy} over ${r.trace}, edge ${r.edge} (${r.model}), device ${r.device}`,
    `mAR             ${pct(r.mar)}   AR50 ${pct(r.ar50)}   precision ${pct(r.precision)}   F1 ${pct(r.f1)}   (${r.groundTruth === 'none' ? 'not scored' : `vs ${r.groundTruth} ground truth`})`,
    ...(r.classSource ? [`scored class    ${r.classSource}`] : []),
    ...(r.tracking ? [`tracking        HOTA ${pct(r.tracking.hota)}   MOTA ${pct(r.tracking.mota)}   IDF1 ${pct(r.tracking.idf1)}   IDSW ${r.tracking.idsw}   (DetA ${pct(r.tracking.detA)}, AssA ${pct(r.tracking.assA)})`] : []),
    ...(r.warnings ?? []).map((w) => `WARNING         ${w}`),
    `offloads        ${r.offloads} sent, ${r.answered} answered, ${r.failed} failed${failures(r.failuresByCode)}; ${uplink(r.bytesSent, r.bytesAttempted)}`,
    `Katch-Up        ${r.katchupFrames} frames re-tracked${r.katchupFallbacks ? `, ${r.katchupFallbacks} fallbacks` : ''}`,
    `latency         p50 ${fmtMs(r.detectionLatencyMs.p50)}  p95 ${fmtMs(r.detectionLatencyMs.p95)}`,
    `device energy   ${r.deviceEnergyJ.toFixed(2)} J`,
    `wall time       ${r.wallSeconds.toFixed(1)} s`,
    ...Object.entries(r.files).map(([k, v]) => `${k.padEnd(15)} ${v}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const fmtMs = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');

/** " (disconnected ×150)" — the failure codes, most frequent first. */
const failures = (byCode: Readonly<Record<string, number>>): string => {
  const parts = Object.entries(byCode).sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ×${n}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
};

/** Uplink bytes the edge received; the attempted total too when some never arrived. */
const uplink = (delivered: number, attempted: number): string =>
  delivered === attempted ? `${kib(delivered)} uplink` : `${kib(delivered)} uplink delivered of ${kib(attempted)} attempted`;

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
