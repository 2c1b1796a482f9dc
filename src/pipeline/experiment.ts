import { DEFAULT_POLICY_FILE } from '../controller/default-policy.js';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ValidationError } from '../core/index.js';
import { type RunSummary, renderMarkdownReport, summarizeByPolicy, withChannelFractions, writeParetoPlots } from '../eval/index.js';
import { CHANNEL_PRESET_NAMES } from '../transport/index.js';
import { discoverSequences, isBenchmarkFolder } from './benchmark.js';
import { loadHumanGroundTruth } from './evaluate-run.js';
import { readCachedRun, runCacheKey, writeCacheKey, fingerprint } from './run-cache.js';
import { startLocalEdge } from './local-edge.js';
import { type RunReport, nanToNull, runPipeline } from './run-pipeline.js';
import type { RunOptions } from './run-options.js';

/** Options of {@link runExperiment}. */
export interface ExperimentOptions extends Pick<RunOptions, 'model' | 'device' | 'gt' | 'edgeMs' | 'maxFrames' | 'tracker' | 'classes' | 'gtClass' | 'tradeOff'> {
  /**
   * A video or image folder, or a benchmark folder: sub-folders in the MOTChallenge layout (each with
   * `video.mp4` or `img1/`, `gt.txt` and `seqinfo.ini`), every one run and scored against its gt.txt.
   */
  readonly input: string;
  /** Run again even when a cached result of the same (sequence, trace, policy, options, code) exists. Default false. */
  readonly noCache?: boolean;
  /** Trace files, preset names, or folders of trace files. */
  readonly traces: readonly string[];
  readonly policies: readonly string[];
  readonly outDir: string;
  /** Called after each run with (runs done, runs total, the run). */
  readonly onRun?: (done: number, total: number, report: RunReport) => void;
  readonly onFrames?: (rows: number, total: number | null) => void;
  readonly log?: (line: string) => void;
  /**
   * Stops early (e.g. Ctrl-C): the run in progress is stopped and left out, no further run starts,
   * and the reports cover the runs completed (`interrupted: true`, `runsPlanned` in report.json).
   */
  readonly signal?: AbortSignal;
}

/** What {@link runExperiment} wrote. */
export interface ExperimentResult {
  readonly results: readonly RunSummary[];
  /** True when `options.signal` stopped the experiment before every run was done. */
  readonly interrupted: boolean;
  /** Runs planned: sequences × traces × policies. */
  readonly runsPlanned: number;
  /** Runs taken from the cache instead of being run. */
  readonly cachedRuns: number;
  /** Benchmark folders: sequences left out, with the reason. */
  readonly skippedSequences: readonly { readonly name: string; readonly reason: string }[];
  readonly files: { readonly report: string; readonly markdown: string; readonly paretoPng: string; readonly paretoSvg: string };
}

/** Expands trace arguments: folders become their files (sorted), presets and files stay. */
export function expandTraces(specs: readonly string[], flag = '--traces'): string[] {
  return expandTraceGroups(specs, flag).map((t) => t.trace);
}

/**
 * Expands trace arguments with their group: the files of a folder form a group named after the folder;
 * a preset or a single file is its own group.
 */
export function expandTraceGroups(specs: readonly string[], flag = '--traces'): { trace: string; group: string }[] {
  const out: { trace: string; group: string }[] = [];
  for (const spec of specs) {
    if (CHANNEL_PRESET_NAMES.includes(spec)) out.push({ trace: spec, group: spec });
    else if (existsSync(spec) && statSync(spec).isDirectory()) {
      const files = readdirSync(spec).filter((f) => !f.startsWith('.')).sort().map((f) => join(spec, f));
      if (files.length === 0) throw new ValidationError(`${flag}: folder ${spec} holds no trace file`);
      out.push(...files.map((trace) => ({ trace, group: basename(spec.replace(/[\\/]+$/, '')) })));
    } else if (existsSync(spec)) out.push({ trace: spec, group: basename(spec) });
    else throw new ValidationError(`${flag}: ${JSON.stringify(spec)} is neither a preset (${CHANNEL_PRESET_NAMES.join(', ')}), a file nor a folder`);
  }
  return out;
}

/**
 * Runs every policy on every trace over the same input — or over every sequence of a benchmark folder
 * — (replay clock, one shared in-process edge server), then writes `report.json` (per run, with
 * channelFraction = bytes / bytes of `full`, and the per-policy summaries), `report.md` (per-policy
 * summary first, then tables) and `pareto.png`/`.svg` (one point per policy). Ground truth and classes
 * are checked for every sequence before the first run. A run whose (sequence, trace, policy, options,
 * code) result is in its output folder already is not run again (`noCache` to force).
 */
export async function runExperiment(options: ExperimentOptions): Promise<ExperimentResult> {
  const traceGroups = expandTraceGroups(options.traces);
  const traces = traceGroups.map((t) => t.trace);
  const policies = [...options.policies];
  if (policies.length === 0) throw new ValidationError('--policies: expected at least one policy');
  const bench = isBenchmarkFolder(options.input) ? discoverSequences(options.input) : undefined;
  if (bench && options.gt) throw new ValidationError(`--gt: ${options.input} is a benchmark folder; every sequence is scored against its own gt.txt, so drop --gt`);
  if (bench && bench.sequences.length === 0) {
    throw new ValidationError(`${options.input}: no sequence to run (${bench.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})`);
  }
  const items = bench
    ? bench.sequences.map((s) => ({ sequence: s.name as string | undefined, input: s.input, gt: s.gt as string | undefined }))
    : [{ sequence: undefined, input: options.input, gt: options.gt }];
  // every ground truth and class is checked before the first run
  for (const it of items) if (it.gt) loadHumanGroundTruth(it.gt, { classes: options.classes, gtClass: options.gtClass });
  for (const s of bench?.skipped ?? []) options.log?.(`note: sequence ${s.name} left out: ${s.reason}`);
  if (!policies.includes('full')) options.log?.('note: policy "full" is not in the list, so channelFraction stays empty');
  mkdirSync(options.outDir, { recursive: true });
  const model = options.model ?? 'nanodet';
  const reports: RunSummary[] = [];
  const total = items.length * traces.length * policies.length;
  const runs = items.flatMap((item) => traceGroups.flatMap(({ trace, group }) => policies.map((policy) => ({ ...item, trace, group, policy }))));
  let cachedRuns = 0;
  let edge: Awaited<ReturnType<typeof startLocalEdge>> | undefined;
  let interrupted = false;
  try {
    for (const run of runs) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      const { trace, policy } = run;
      const dir = join(options.outDir, 'runs', ...(run.sequence ? [safeName(run.sequence)] : []), safeName(trace), safeName(policy));
      const where = `${policy} on ${trace}${run.sequence ? ` (${run.sequence})` : ''}`;
      const key = runCacheKey({
        input: run.input, gt: run.gt, trace, policy, model, device: options.device ?? null, edgeMs: options.edgeMs ?? null,
        maxFrames: options.maxFrames ?? null, tracker: options.tracker ?? null, classes: options.classes ?? null, gtClass: options.gtClass ?? null,
        ...learnedPolicyKey(policy, options.tradeOff),
      });
      const cached = options.noCache ? undefined : readCachedRun<RunReport>(dir, key);
      let report: RunReport;
      if (cached) {
        cachedRuns++;
        options.log?.(`run ${reports.length + 1}/${total}: ${where}: cached (${dir})`);
        report = reviveNaN(cached);
      } else {
        options.log?.(`run ${reports.length + 1}/${total}: ${where}`);
        edge ??= await startLocalEdge(model, options.classes ? { classes: options.classes } : {});
        report = await runPipeline({
          input: run.input, policy, trace, clock: 'replay', edge: edge.url, token: edge.token, model,
          device: options.device, gt: run.gt, classes: options.classes, gtClass: options.gtClass, edgeMs: options.edgeMs, maxFrames: options.maxFrames,
          ...(options.tradeOff && /^(learned|file:)/.test(policy) ? { tradeOff: options.tradeOff } : {}),
          tracker: options.tracker, outDir: dir, onProgress: options.onFrames, signal: options.signal,
        });
        if (report.interrupted) {
          options.log?.(`stopped: run ${reports.length + 1}/${total} (${where}) left out after ${report.frames} frames; reporting the ${reports.length} runs done`);
          interrupted = true;
          break;
        }
        writeCacheKey(dir, key);
      }
      const summary: RunSummary = { ...report, ...(run.sequence ? { sequence: run.sequence } : {}), traceGroup: run.group };
      reports.push(summary);
      options.onRun?.(reports.length, total, report);
    }
  } finally {
    await edge?.server.close();
  }
  const results = withChannelFractions(reports);
  const files = {
    report: join(options.outDir, 'report.json'),
    markdown: join(options.outDir, 'report.md'),
    paretoPng: join(options.outDir, 'pareto.png'),
    paretoSvg: join(options.outDir, 'pareto.svg'),
  };
  interrupted ||= reports.length < total;
  const skippedSequences = bench?.skipped ?? [];
  const summaries = {
    summary: summarizeByPolicy(results),
    summaryByTraceGroup: summarizeByPolicy(results, (r) => r.traceGroup ?? r.trace),
    ...(bench ? { summaryBySequence: summarizeByPolicy(results, (r) => r.sequence ?? '') } : {}),
  };
  writeFileSync(files.report, `${JSON.stringify({
    input: options.input, model, ...(bench ? { sequences: items.map((i) => i.sequence), skippedSequences } : {}), traces, policies,
    classes: options.classes ?? null, gtClass: options.gtClass ?? null, runsPlanned: total, cachedRuns, interrupted, ...summaries, results,
  }, nanToNull, 2)}\n`);
  const title = interrupted ? `edgetrack evaluation (interrupted: ${reports.length} of ${total} runs)` : undefined;
  const notes = [
    ...(bench ? [`Benchmark folder: ${items.length} sequences × ${traces.length} traces × ${policies.length} policies = ${total} runs.`] : []),
    ...skippedSequences.map((s) => `Sequence ${s.name} left out: ${s.reason}.`),
    ...(cachedRuns ? [`${cachedRuns} of ${reports.length} runs taken from the cache (same sequence, trace, policy, options and code).`] : []),
  ];
  writeFileSync(files.markdown, renderMarkdownReport(results, { input: options.input, paretoImage: 'pareto.png', notes, ...(title ? { title } : {}) }));
  const plot = await writeParetoPlots(results, options.outDir);
  return { results, interrupted, runsPlanned: total, cachedRuns, skippedSequences, files: { ...files, paretoPng: plot.pngPath, paretoSvg: plot.svgPath } };
}

const safeName = (s: string): string => s.replace(/^.*[\\/]/, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);

const METRIC_FIELDS = ['mar', 'ar50', 'precision', 'f1', 'recall', 'hota', 'mota', 'idf1', 'channelFraction'] as const;

/** A cached report.json has null where the run had NaN: back to NaN for the metric fields. */
function reviveNaN(r: RunReport): RunReport {
  const out: Record<string, unknown> = { ...r };
  for (const k of METRIC_FIELDS) if (out[k] === null) out[k] = Number.NaN;
  return out as unknown as RunReport;
}

/** A learned policy's weights and trade-off belong in the run cache key (the policy file is not code). */
function learnedPolicyKey(policy: string, tradeOff: ExperimentOptions['tradeOff']): Record<string, unknown> {
  if (policy === 'learned' || policy.startsWith('learned:')) return { policyFile: fingerprint(DEFAULT_POLICY_FILE), tradeOff: tradeOff ?? null };
  if (policy.startsWith('file:')) return { policyFile: fingerprint(policy.slice('file:'.length)), tradeOff: tradeOff ?? null };
  return {};
}
