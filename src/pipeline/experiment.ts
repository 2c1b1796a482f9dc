import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../core/index.js';
import { type RunSummary, renderMarkdownReport, withChannelFractions, writeParetoPlots } from '../eval/index.js';
import { CHANNEL_PRESET_NAMES } from '../transport/index.js';
import { startLocalEdge } from './local-edge.js';
import { type RunReport, nanToNull, runPipeline } from './run-pipeline.js';
import type { RunOptions } from './run-options.js';

/** Options of {@link runExperiment}. */
export interface ExperimentOptions extends Pick<RunOptions, 'model' | 'device' | 'gt' | 'edgeMs' | 'maxFrames' | 'tracker'> {
  readonly input: string;
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
  /** Runs planned: traces × policies. */
  readonly runsPlanned: number;
  readonly files: { readonly report: string; readonly markdown: string; readonly paretoPng: string; readonly paretoSvg: string };
}

/** Expands trace arguments: folders become their files (sorted), presets and files stay. */
export function expandTraces(specs: readonly string[]): string[] {
  const out: string[] = [];
  for (const spec of specs) {
    if (CHANNEL_PRESET_NAMES.includes(spec)) out.push(spec);
    else if (existsSync(spec) && statSync(spec).isDirectory()) {
      const files = readdirSync(spec).filter((f) => !f.startsWith('.')).sort().map((f) => join(spec, f));
      if (files.length === 0) throw new ValidationError(`--traces: folder ${spec} holds no trace file`);
      out.push(...files);
    } else if (existsSync(spec)) out.push(spec);
    else throw new ValidationError(`--traces: ${JSON.stringify(spec)} is neither a preset (${CHANNEL_PRESET_NAMES.join(', ')}), a file nor a folder`);
  }
  return out;
}

/**
 * Runs every policy on every trace over the same input (replay clock, one shared in-process edge
 * server), then writes `report.json` (per policy and trace, with channelFraction = bytes / bytes of
 * `full`), `report.md` (tables) and `pareto.png`/`.svg` (mAR vs channel, mAR vs energy).
 */
export async function runExperiment(options: ExperimentOptions): Promise<ExperimentResult> {
  const traces = expandTraces(options.traces);
  const policies = [...options.policies];
  if (policies.length === 0) throw new ValidationError('--policies: expected at least one policy');
  if (!policies.includes('full')) options.log?.('note: policy "full" is not in the list, so channelFraction stays empty');
  mkdirSync(options.outDir, { recursive: true });
  const model = options.model ?? 'nanodet';
  const edge = await startLocalEdge(model);
  const reports: RunReport[] = [];
  const total = traces.length * policies.length;
  const runs = traces.flatMap((trace) => policies.map((policy) => ({ trace, policy })));
  try {
    for (const { trace, policy } of runs) {
      if (options.signal?.aborted) break;
      const dir = join(options.outDir, 'runs', safeName(trace), safeName(policy));
      options.log?.(`run ${reports.length + 1}/${total}: ${policy} on ${trace}`);
      const report = await runPipeline({
        input: options.input, policy, trace, clock: 'replay', edge: edge.url, token: edge.token, model,
        device: options.device, gt: options.gt, edgeMs: options.edgeMs, maxFrames: options.maxFrames,
        tracker: options.tracker, outDir: dir, onProgress: options.onFrames, signal: options.signal,
      });
      if (report.interrupted) {
        options.log?.(`stopped: run ${reports.length + 1}/${total} (${policy} on ${trace}) left out after ${report.frames} frames; reporting the ${reports.length} runs done`);
        break;
      }
      reports.push(report);
      options.onRun?.(reports.length, total, report);
    }
  } finally {
    await edge.server.close();
  }
  const results = withChannelFractions(reports);
  const files = {
    report: join(options.outDir, 'report.json'),
    markdown: join(options.outDir, 'report.md'),
    paretoPng: join(options.outDir, 'pareto.png'),
    paretoSvg: join(options.outDir, 'pareto.svg'),
  };
  const interrupted = reports.length < total;
  writeFileSync(files.report, `${JSON.stringify({ input: options.input, model, traces, policies, runsPlanned: total, interrupted, results }, nanToNull, 2)}\n`);
  const title = interrupted ? `edgetrack evaluation (interrupted: ${reports.length} of ${total} runs)` : undefined;
  writeFileSync(files.markdown, renderMarkdownReport(results, { input: options.input, paretoImage: 'pareto.png', ...(title ? { title } : {}) }));
  const plot = await writeParetoPlots(results, options.outDir);
  return { results, interrupted, runsPlanned: total, files: { ...files, paretoPng: plot.pngPath, paretoSvg: plot.svgPath } };
}

const safeName = (s: string): string => s.replace(/^.*[\\/]/, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
