import type { Command } from 'commander';
import { CliUsageError, parseIntFlag, parseNumberFlag } from '../cli-error.js';

interface EvalFlags {
  lambdaChannel?: number;
  lambdaEnergy?: number;
  gt?: string;
  traces: string;
  policies: string;
  out: string;
  model: string;
  device: string;
  edgeMs?: number;
  maxFrames?: number;
  classes?: string;
  gtClass?: string;
  cache: boolean;
}

/** `edgetrack eval <input>`: every policy × trace in replay → report.json, report.md, pareto.png. */
export function install(program: Command): void {
  program
    .command('eval')
    .description('compare offloading policies over channel traces (replay clock) on a video or a benchmark folder: report.json, report.md, pareto.png')
    .argument('<input>', 'video file, folder of numbered images, or benchmark folder (sub-folders with video.mp4 or img1/, gt.txt, seqinfo.ini)')
    .option('--gt <gt.txt>', 'MOT ground truth of a single input; without it the oracle (detector on every frame) is used')
    .option('--classes <list>', 'COCO classes to track and score, names or ids (e.g. person,car); default: all')
    .option('--gt-class <name>', 'class of the gt.txt boxes (default: objectClass of seqinfo.ini beside gt.txt, else MOT class ids in column 8, else person)')
    .option('--no-cache', 'run again even when the same (sequence, trace, policy, options, code) result is in --out')
    .option('--traces <list>', 'comma-separated trace files, folders of traces, or presets', 'wifi-good,wifi-erratic,lte-drive')
    .option('--policies <list>', 'policy specs separated by commas (or ; when in doubt): learned,never,periodic:10,full,minimal,heuristic', 'learned,never,periodic:10,full,minimal,heuristic')
    .option('--lambda-channel <x>', 'trade-off of the λ-conditioned policies in the list (learned, file: v2): mAR per Mbit/s of uplink', parseNumberFlag(0))
    .option('--lambda-energy <y>', 'trade-off of the λ-conditioned policies in the list: mAR per W of device power', parseNumberFlag(0))
    .option('--out <dir>', 'output folder', 'out/eval')
    .option('--model <model>', 'detector: nanodet | centernet | path/to/model.onnx', 'nanodet')
    .option('--device <profile>', 'device profile for energy', 'jetson-nano')
    .option('--edge-ms <ms>', 'profiled edge time per request (default from the model)', parseNumberFlag(0))
    .option('--max-frames <n>', 'use only the first n frames', parseIntFlag(1))
    .action(async (input: string, f: EvalFlags) => {
      const { runExperiment } = await import('../../pipeline/index.js');
      const { checkClassFlags } = await import('../check-inputs.js');
      const classes = await checkClassFlags(f.classes, f.gtClass);
      const { createProgress } = await import('../progress.js');
      const { asUsageError, checkGroundTruth, checkLocalModel, checkOutDir, checkPolicies, checkTraces } = await import('../check-inputs.js');
      const { getDeviceProfile } = await import('../../eval/index.js');
      // every input is checked before the first run: a bad one must not cost the runs before it
      const policies = splitPolicies(f.policies);
      const { tradeOffFromFlags } = await import('./run.js');
      const tradeOff = tradeOffFromFlags(f);
      for (const p of policies) await checkPolicies('--policies', [p], tradeOff && isConditionedSpec(p) ? tradeOff : undefined);
      const traces = await checkTraces('--traces', f.traces.split(',').map((s) => s.trim()).filter(Boolean));
      await checkGroundTruth(f.gt);
      await checkLocalModel(f.model);
      await asUsageError('--device', () => getDeviceProfile(f.device));
      checkOutDir('--out', f.out);
      const { stopOnSignals } = await import('../stop-on-signals.js');
      const progress = createProgress('eval', { unit: 'runs', intervalMs: 0 });
      const stop = stopOnSignals('edgetrack eval', { stopping: 'stopping the run in progress and writing the reports for the runs done' });
      let runsDone = 0;
      let runsTotal: number | null = traces.length * policies.length;
      progress.update(0, runsTotal);
      try {
        const result = await runExperiment({
          input, gt: f.gt, traces, policies, outDir: f.out, model: f.model, device: f.device, edgeMs: f.edgeMs, maxFrames: f.maxFrames,
          classes, gtClass: f.gtClass, noCache: !f.cache, ...(tradeOff ? { tradeOff } : {}),
          signal: stop.signal,
          log: (line) => progress.log(line),
          onRun: (done, total) => { runsDone = done; runsTotal = total; progress.update(runsDone, runsTotal); },
        });
        progress.stop();
        const { renderPolicySummaryText } = await import('../../eval/index.js');
        const pct = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a');
        if (result.results.length <= 30) {
          for (const r of result.results) {
            process.stdout.write(`${r.sequence ? `${r.sequence.padEnd(24)} ` : ''}${r.trace.padEnd(28)} ${r.policy.padEnd(28)} mAR ${pct(r.mar).padStart(6)}  HOTA ${pct(r.hota).padStart(6)}  MOTA ${pct(r.mota).padStart(7)}  IDF1 ${pct(r.idf1).padStart(6)}  channel ${pct(r.channelFraction).padStart(6)}  energy ${r.deviceEnergyJ.toFixed(1)} J\n`);
          }
          process.stdout.write('\n');
        }
        process.stdout.write(renderPolicySummaryText(result.results));
        if (result.cachedRuns) process.stdout.write(`${result.cachedRuns} of ${result.results.length} runs taken from the cache (--no-cache to run them again)\n`);
        for (const s of result.skippedSequences) process.stdout.write(`sequence ${s.name} left out: ${s.reason}\n`);
        if (result.interrupted) process.stdout.write(`interrupted: ${result.results.length} of ${result.runsPlanned} runs done\n`);
        process.stdout.write(`report: ${result.files.report}\n        ${result.files.markdown}\n        ${result.files.paretoPng}\n`);
      } finally {
        stop.dispose();
        progress.stop();
      }
    });
}

const QUALITY_NAMES = new Set(['low', 'medium', 'high', 'full']);

/**
 * Splits a policy list. `;` or whitespace always separate policies. Commas separate policies too
 * (`never,periodic:10,full`), except that a token continues the previous spec when it is one of its
 * arguments: a quality name after a spec, a Katch-Up mode (`off`, `stride:S`, or `full` right after a
 * quality), or `key=value`. So `periodic:5,low,stride:3,full` is two policies.
 */
export function splitPolicies(list: string): string[] {
  const out: string[] = [];
  for (const group of list.split(/[;\s]+/).filter(Boolean)) {
    let prevWasQuality = false;
    let current: string[] | undefined;
    for (const token of group.split(',').map((t) => t.trim()).filter(Boolean)) {
      const isArg = current !== undefined && (
        token.includes('=') || token === 'off' || /^stride:\d+$/.test(token) ||
        (token === 'full' ? prevWasQuality : QUALITY_NAMES.has(token) && !prevWasQuality && current.length === 1));
      if (isArg) {
        current!.push(token);
        prevWasQuality = QUALITY_NAMES.has(token) && current!.length === 2;
      } else {
        if (current) out.push(current.join(','));
        current = [token];
        prevWasQuality = false;
      }
    }
    if (current) out.push(current.join(','));
  }
  return out;
}

/** Specs of λ-conditioned policies (the `--lambda-*` flags apply to them only). */
function isConditionedSpec(spec: string): boolean {
  return spec === 'learned' || spec.startsWith('learned:') || spec.startsWith('file:');
}
