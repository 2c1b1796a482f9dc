import { type Command, Option } from 'commander';
import { CliUsageError, parseIntFlag, parseNumberFlag } from '../cli-error.js';

/** Options of `edgetrack run` as commander parses them. */
export interface RunFlags {
  policy: string;
  edge: string;
  token?: string;
  model: string;
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
  eval: boolean;
}

/** Adds the flags shared by `run` and `demo`. */
export function addRunFlags(cmd: Command, defaults: { out: string; policy: string }): Command {
  return cmd
    .option('--policy <spec>', 'offloading policy: never | periodic:N[,quality[,katchup]] | full | minimal | heuristic | file:policy.json', defaults.policy)
    .option('--edge <where>', '"local" (in-process edge server on 127.0.0.1) or ws://host:port', 'local')
    .option('--token <token>', 'token of a remote edge (default $EDGETRACK_TOKEN)')
    .option('--model <model>', 'detector: nanodet | centernet | path/to/model.onnx', 'nanodet')
    .option('--trace <trace>', 'channel: preset (wifi-good, wifi-erratic, lte-drive, 3g-poor) or trace file (Pensieve, mahimahi, CSV); default wifi-good for replay, unshaped for live')
    .option('--trace-offset <ms>', 'start offset into the trace (ms)', parseNumberFlag(0), 0)
    .addOption(new Option('--clock <clock>', 'replay (deterministic virtual time) or live (wall clock); default: live for live sources').choices(['replay', 'live']))
    .option('--device <profile>', 'device profile for energy: jetson-nano | raspberry-pi-4 | host (append +lte or +wifi for the radio)', 'jetson-nano')
    .option('--gt <gt.txt>', 'MOT ground truth; without it the oracle (detector on every frame) is used')
    .option('--classes <list>', 'COCO classes to track and score, names or ids (e.g. person,car); default: all')
    .option('--gt-class <name>', 'class of the gt.txt boxes (default: objectClass of seqinfo.ini beside gt.txt, else MOT class ids in column 8, else person)')
    .option('--out <dir>', 'output folder', defaults.out)
    .option('--annotate', 'also write annotated.mp4', false)
    .option('--record-trace <file>', 'live runs: write the measured uplink as a Pensieve trace')
    .option('--max-frames <n>', 'stop after n frames', parseIntFlag(1))
    .option('--duration <s>', 'live sources: stop after s seconds', parseNumberFlag(0))
    .option('--edge-ms <ms>', 'replay: profiled edge time per request (default from the model)', parseNumberFlag(0))
    .option('--no-eval', 'skip the metrics (no ground truth, no oracle)');
}

/**
 * Turns parsed flags into runPipeline options. Flag values that cannot work (a policy spec no policy
 * accepts, an edge that is neither `local` nor a ws:// URL, an unknown device profile) throw a
 * CliUsageError, so the CLI exits with code 2 before anything starts.
 */
export async function runOptionsFromFlags(input: string, f: RunFlags) {
  const { createPolicy } = await import('../../controller/index.js');
  const { getDeviceProfile } = await import('../../eval/index.js');
  const { checkRunOptions } = await import('../../pipeline/run-options.js');
  const check = (flag: string, fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      throw new CliUsageError(`${flag}: ${(e as Error).message}`);
    }
  };
  check('--policy', () => createPolicy(f.policy));
  check('--device', () => getDeviceProfile(f.device));
  const { parseClassList } = await import('../../core/index.js');
  let classes: number[] | undefined;
  check('--classes', () => { if (f.classes !== undefined) classes = parseClassList(f.classes, '--classes'); });
  check('--gt-class', () => { if (f.gtClass !== undefined) parseClassList(f.gtClass, '--gt-class'); });
  check('options', () => checkRunOptions({ input, edge: f.edge, clock: f.clock, maxFrames: f.maxFrames }));
  return {
    input, policy: f.policy, edge: f.edge, token: f.token, model: f.model, trace: f.trace, traceOffsetMs: f.traceOffset,
    clock: f.clock, device: f.device, gt: f.gt, classes, gtClass: f.gtClass, outDir: f.out, annotate: f.annotate, recordTrace: f.recordTrace,
    maxFrames: f.maxFrames, durationSeconds: f.duration, edgeMs: f.edgeMs, noEval: !f.eval,
  };
}

/** `edgetrack run <input>`: the device pipeline on one input → tracks.txt, frames.jsonl, report.json. */
export function install(program: Command): void {
  addRunFlags(
    program
      .command('run')
      .description('run the device pipeline (tracker + controller + edge offloading + Katch-Up) on a video, folder or live source')
      .argument('<input>', 'video file, folder of numbered images, or live spec (lavfi:testsrc, loop:file.mp4, /dev/video0, rtsp://…)'),
    { out: 'out/run', policy: 'heuristic' },
  ).action(async (input: string, flags: RunFlags) => {
    const { runPipeline } = await import('../../pipeline/index.js');
    const { createProgress } = await import('../progress.js');
    const { printRunSummary } = await import('../run-summary-text.js');
    const { stopOnSignals } = await import('../stop-on-signals.js');
    const progress = createProgress('run');
    const stop = stopOnSignals('edgetrack run', { stopping: 'stopping after the frames in flight and writing the outputs' });
    try {
      const report = await runPipeline({
        ...(await runOptionsFromFlags(input, flags)),
        signal: stop.signal,
        onProgress: (n, total) => progress.update(n, total),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      progress.stop();
      printRunSummary(report);
      if (report.sourceError) throw new Error(`the source failed after ${report.frames} frames (outputs and report written for them): ${report.sourceError}`);
    } finally {
      stop.dispose();
      progress.stop();
    }
  });
}
