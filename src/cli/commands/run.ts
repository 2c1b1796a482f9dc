import { type Command, Option } from 'commander';
import { parseIntFlag, parseNumberFlag } from '../cli-error.js';

/** Options of `edgetrack run` as commander parses them. */
export interface RunFlags {
  policy: string;
  lambdaChannel?: number;
  lambdaEnergy?: number;
  edge: string;
  token?: string;
  model?: string;
  trace?: string;
  traceOffset: number;
  clock?: 'replay' | 'live';
  device: string;
  gt?: string;
  classes?: string;
  gtClass?: string;
  out: string;
  annotate: boolean;
  recordTrace?: string;
  maxFrames?: number;
  duration?: number;
  edgeMs?: number;
  tracker?: string;
  eval: boolean;
}

/** What differs between `run` and `demo` in the shared flags. */
export interface RunFlagDefaults {
  readonly out: string;
  readonly policy: string;
  /** Channel preset used when --trace is absent (demo); undefined = wifi-good for replay, unshaped live. */
  readonly trace?: string;
  /** True: annotated.mp4 is written unless --no-annotate (demo); false: only with --annotate (run). */
  readonly annotate: boolean;
}

/** Adds the flags shared by `run` and `demo`. */
export function addRunFlags(cmd: Command, defaults: RunFlagDefaults): Command {
  cmd
    .option('--policy <spec>', 'offloading policy: learned | never | periodic:N[,quality[,katchup]] | full | minimal[:N] | heuristic[:key=value…] | file:policy.json', defaults.policy)
    .option('--lambda-channel <x>', 'λ-conditioned learned policies: mAR given up per Mbit/s of uplink (default: the policy file\'s, 0.01 for learned)', parseNumberFlag(0))
    .option('--lambda-energy <y>', 'λ-conditioned learned policies: mAR given up per W of device power (default: the policy file\'s, 0.002 for learned)', parseNumberFlag(0))
    .option('--edge <where>', '"local" (in-process edge server on 127.0.0.1) or ws://host:port', 'local')
    .option('--token <token>', 'token of a remote edge; prefer the EDGETRACK_TOKEN environment variable (default), a token on the command line shows in ps')
    .option('--model <model>', 'detector: nanodet | centernet | path/to/model.onnx (default: nanodet; with a remote --edge, the edge\'s default model)')
    .option('--trace <trace>', `channel: preset (wifi-good, wifi-erratic, lte-drive, 3g-poor) or trace file (Pensieve, mahimahi, CSV); default ${defaults.trace ?? 'wifi-good for replay, unshaped for live'}`)
    .option('--trace-offset <ms>', 'start offset into the trace (ms)', parseNumberFlag(0), 0)
    .addOption(new Option('--clock <clock>', 'replay (deterministic virtual time) or live (wall clock; a file is still read as fast as it decodes, loop:file.mp4 plays it at its frame rate); default: live for live sources, else replay').choices(['replay', 'live']))
    .option('--device <profile>', 'device profile for energy: jetson-nano | raspberry-pi-4 | host (append +lte or +wifi for the radio)', 'jetson-nano')
    .option('--gt <gt.txt>', 'MOT ground truth; without it the oracle (detector on every frame) is used')
    .option('--classes <list>', 'COCO classes to track and score, names or ids (e.g. person,car); default: all')
    .option('--gt-class <name>', 'class of the gt.txt boxes (default: objectClass of seqinfo.ini beside gt.txt, else MOT class ids in column 8, else person)')
    .option('--out <dir>', 'output folder (tracks.txt, frames.jsonl, annotated.mp4, report.json of an earlier run there are removed first)', defaults.out);
  if (defaults.annotate) cmd.option('--no-annotate', 'do not write annotated.mp4');
  else cmd.option('--annotate', 'also write annotated.mp4', false);
  return cmd
    .option('--record-trace <file>', 'write the uplink throughput the device estimated (live: measured; replay: from the channel model) as a Pensieve trace, from the first answered offload on')
    .option('--max-frames <n>', 'stop after n frames', parseIntFlag(1))
    .option('--duration <s>', 'stop after s seconds: of video for files and folders, of wall time for live sources', parseNumberFlag(0))
    .option('--edge-ms <ms>', 'replay: profiled edge time per request (default from the model)', parseNumberFlag(0))
    .option('--tracker <options>', 'tracker options (docs/tracker.md, "Options") as JSON or a JSON file, e.g. \'{"classFusion":true}\'; a learned policy was trained with the defaults')
    .option('--no-eval', 'skip the metrics (no ground truth, no oracle)');
}

/**
 * Turns parsed flags into runPipeline options, checking every input before the first frame: policy,
 * device, edge, trace, ground truth, model (for the in-process edge), output folder and
 * --record-trace. A value that cannot work throws a CliUsageError naming the flag, so the CLI exits
 * with code 2 before anything starts. `--duration` on a file or folder becomes a frame limit.
 */
export async function runOptionsFromFlags(input: string, f: RunFlags) {
  const { getDeviceProfile } = await import('../../eval/index.js');
  const { checkRunOptions } = await import('../../pipeline/run-options.js');
  const { asUsageError, checkGroundTruth, checkLocalModel, checkOutDir, checkOutFile, checkPolicies } = await import('../check-inputs.js');
  const tradeOff = tradeOffFromFlags(f);
  await checkPolicies('--policy', [f.policy], tradeOff);
  await asUsageError('--device', () => getDeviceProfile(f.device));
  const { parseClassList } = await import('../../core/index.js');
  let classes: number[] | undefined;
  await asUsageError('--classes', () => { if (f.classes !== undefined) classes = parseClassList(f.classes, '--classes'); });
  await asUsageError('--gt-class', () => { if (f.gtClass !== undefined) parseClassList(f.gtClass, '--gt-class'); });
  await asUsageError('options', () => checkRunOptions({ input, edge: f.edge, clock: f.clock, maxFrames: f.maxFrames }));
  if (f.edge === 'local') await checkLocalModel(f.model ?? 'nanodet');
  if (f.trace !== undefined) {
    const { resolveChannel } = await import('../../pipeline/resolve-channel.js');
    await asUsageError(`--trace ${f.trace}`, () => resolveChannel(f.trace!));
  }
  await checkGroundTruth(f.gt);
  if (f.gt !== undefined && f.eval) {
    // the scored class must exist in gt.txt (and survive --classes): checked before anything is written
    const { loadHumanGroundTruth } = await import('../../pipeline/evaluate-run.js');
    await asUsageError('--gt', () => loadHumanGroundTruth(f.gt!, { classes, gtClass: f.gtClass }));
  }
  const { parseTrackerFlag, trackerMismatchNote } = await import('../tracker-flag.js');
  const tracker = f.tracker === undefined ? undefined : await asUsageError('--tracker', () => parseTrackerFlag(f.tracker!));
  const note = await trackerMismatchNote(f.policy, tracker);
  if (note) process.stderr.write(`note: ${note}\n`);
  checkOutDir('--out', f.out);
  if (f.recordTrace !== undefined) checkOutFile('--record-trace', f.recordTrace);
  const maxFrames = await frameLimit(input, f.maxFrames, f.duration);
  return {
    input, policy: f.policy, ...(tradeOff ? { tradeOff } : {}), edge: f.edge, token: f.token, model: f.model, trace: f.trace, traceOffsetMs: f.traceOffset,
    clock: f.clock, device: f.device, gt: f.gt, classes, gtClass: f.gtClass, outDir: f.out, annotate: f.annotate, recordTrace: f.recordTrace,
    maxFrames, durationSeconds: f.duration, edgeMs: f.edgeMs, noEval: !f.eval, ...(tracker ? { tracker } : {}),
  };
}

/** `--max-frames`, lowered to `--duration` seconds of video for a file or folder (live sources stop on wall time). */
async function frameLimit(input: string, maxFrames: number | undefined, duration: number | undefined): Promise<number | undefined> {
  if (duration === undefined) return maxFrames;
  const { openSource } = await import('../../video/index.js');
  const source = openSource(input);
  if (source.live) return maxFrames;
  const { fps } = await source.info();
  const byDuration = Math.max(1, Math.round(duration * fps));
  return maxFrames === undefined ? byDuration : Math.min(maxFrames, byDuration);
}

/**
 * The exit status a finished run deserves beyond its report: a run in which offloads were sent and
 * the edge answered none (answers still in flight at the end count as answered) did not do what was
 * asked, so it throws with the failure codes; the summary and report.json are written before.
 */
export function failIfNothingAnswered(report: { offloads: number; edgeAnswers: number; edge: string; failuresByCode: Readonly<Record<string, number>> }): void {
  if (report.offloads === 0 || report.edgeAnswers > 0) return;
  const codes = Object.entries(report.failuresByCode).map(([code, n]) => `${code} ×${n}`).join(', ');
  throw new Error(`no offload was answered: ${report.offloads} sent to the edge ${report.edge}, failed with ${codes || 'no answer'}; the tracks come from the tracker alone`);
}

/** `edgetrack run <input>`: the device pipeline on one input → tracks.txt, frames.jsonl, report.json. */
export function install(program: Command): void {
  addRunFlags(
    program
      .command('run')
      .description('run the device pipeline (tracker + controller + edge offloading + Katch-Up) on a video, folder or live source')
      .argument('<input>', 'video file, folder of numbered images, or live spec (lavfi:testsrc, loop:file.mp4, /dev/video0, rtsp://…)'),
    { out: 'out/run', policy: 'learned', annotate: false },
  ).action(async (input: string, flags: RunFlags) => {
    const { executeRun } = await import('../run-action.js');
    await executeRun('run', await runOptionsFromFlags(input, flags));
  });
}

/** `--lambda-channel` / `--lambda-energy` as a trade-off for λ-conditioned policies (undefined when neither is given). */
export function tradeOffFromFlags(f: { lambdaChannel?: number; lambdaEnergy?: number }): { lambdaChannel?: number; lambdaEnergy?: number } | undefined {
  if (f.lambdaChannel === undefined && f.lambdaEnergy === undefined) return undefined;
  return { ...(f.lambdaChannel !== undefined ? { lambdaChannel: f.lambdaChannel } : {}), ...(f.lambdaEnergy !== undefined ? { lambdaEnergy: f.lambdaEnergy } : {}) };
}
