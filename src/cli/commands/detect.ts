import type { Command } from 'commander';
import { parseIntFlag, parseNumberFlag, CliUsageError } from '../cli-error.js';

/**
 * `edgetrack detect <input> --model nanodet|centernet|<file.onnx> [--every N] [--out dets.txt]`:
 * runs the detector on frames of any source (video file, image folder, live spec) and writes MOT-det
 * rows `frame,-1,x,y,w,h,score,class,-1,-1` (1-based frames) to `--out` or stdout. Progress and a
 * timing summary go to stderr.
 */
export function install(program: Command): void {
  program
    .command('detect')
    .description('run the object detector on the frames of a video/image folder/live source and write MOT-det rows (frame,-1,x,y,w,h,score,class,-1,-1)')
    .argument('<input>', 'video file, folder of numbered images, or live spec')
    .option('--model <name|file>', 'nanodet, centernet, or a path to an .onnx file (YOLOX, YOLOv8/11, NanoDet, CenterNet layouts)', 'nanodet')
    .option('--family <family>', 'force the model family: nanodet, centernet, yolox, yolov8')
    .option('--max-frames <n>', 'stop after n processed frames', parseIntFlag(1))
    .option('--every <n>', 'run on every n-th frame (frame numbers in the output stay those of the source)', parseIntFlag(1), 1)
    .option('--out <file>', 'write rows to this file instead of stdout')
    .option('--threads <n>', 'onnxruntime intra-op threads', parseIntFlag(1), 2)
    .option('--score <s>', 'minimum detection score', parseNumberFlag(0, 1), 0.35)
    .option('--classes <list>', 'comma-separated COCO class names or ids to keep, e.g. person,car')
    .option('--quiet', 'nothing on stderr but errors (no progress, no timing summary)')
    .action(async (input: string, opts: { model: string; family?: string; every: number; maxFrames?: number; out?: string; threads: number; score: number; classes?: string; quiet?: boolean }) => {
      const { parseClassList } = await import('../../core/index.js');
      const { FAMILY_NAMES } = await import('../../detector/families/family.js');
      let classes: number[] | undefined;
      try {
        classes = opts.classes ? parseClassList(opts.classes) : undefined;
      } catch (e) {
        throw new CliUsageError((e as Error).message);
      }
      if (opts.family && !(FAMILY_NAMES as readonly string[]).includes(opts.family)) {
        throw new CliUsageError(`--family: expected one of ${FAMILY_NAMES.join(', ')}, got ${JSON.stringify(opts.family)}`);
      }
      const { checkLocalModel, checkOutFile } = await import('../check-inputs.js');
      await checkLocalModel(opts.model);
      if (opts.out !== undefined) checkOutFile('--out', opts.out);
      const { createProgress } = await import('../progress.js');
      const total = await frameTotal(input, opts.every, opts.maxFrames);
      const progress = opts.quiet ? undefined : createProgress('detect');
      const { runDetect } = await import('../../detector/run-detect.js');
      let summary;
      try {
        summary = await runDetect({
          input, every: opts.every, out: opts.out, maxFrames: opts.maxFrames,
          detector: { model: opts.model, family: opts.family as never, threads: opts.threads, scoreThreshold: opts.score, classes, log: progress ? (l) => progress.log(l) : undefined },
          onFrame: progress ? (n) => progress.update(n, total) : undefined,
        });
      } finally {
        progress?.stop();
      }
      if (!opts.quiet) {
        process.stderr.write(`${summary.frames} frames, ${summary.rows} detections; mean ms per frame: decode ${summary.meanMs.decodeMs.toFixed(1)}, pre ${summary.meanMs.preMs.toFixed(1)}, inference ${summary.meanMs.inferenceMs.toFixed(1)}, post ${summary.meanMs.postMs.toFixed(1)}\n`);
      }
    });
}

/** Frames `detect` will process (null for live sources, whose length is unknown). */
async function frameTotal(input: string, every: number, maxFrames: number | undefined): Promise<number | null> {
  const { openSource } = await import('../../video/index.js');
  const source = openSource(input);
  const count = source.live ? null : (await source.info()).frameCount;
  const total = typeof count === 'number' && Number.isFinite(count) && count > 0 ? Math.ceil(count / every) : null;
  if (maxFrames === undefined) return total;
  return total === null ? (source.live ? null : maxFrames) : Math.min(total, maxFrames);
}
