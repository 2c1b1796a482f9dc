import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { type DetectTimings, type Frame, formatMotRow } from '../core/index.js';
import { fileFrames, imageSequenceFrames, openSource, sourceKind } from '../video/index.js';
import { Detector } from './detector.js';
import type { DetectorOptions } from './options.js';

/** Options of {@link runDetect}. */
export interface RunDetectOptions {
  /** Video file, image folder or live spec (see src/video `openSource`). */
  readonly input: string;
  readonly detector: DetectorOptions;
  /** Run on every n-th frame. Default 1. */
  readonly every?: number;
  /** Output file; default stdout. */
  readonly out?: string;
  /** Progress line after each frame. */
  readonly progress?: (line: string) => void;
  /** Called after each frame with the number of frames processed so far. */
  readonly onFrame?: (processed: number) => void;
  /** Stop after this many processed frames (live sources never end by themselves). */
  readonly maxFrames?: number;
}

/** Totals of a run. */
export interface RunDetectSummary {
  readonly frames: number;
  readonly rows: number;
  readonly meanMs: DetectTimings;
}

/** Latest-frame-wins pull over a live Observable: frames arriving while the detector is busy are dropped. */
async function* latest(input: string, every: number): AsyncGenerator<Frame> {
  const source = openSource(input);
  let slot: Frame | undefined;
  let done = false;
  let error: unknown;
  let wake: (() => void) | undefined;
  let n = 0;
  const sub = source.frames$.subscribe({
    next: (f) => { if (n++ % every === 0) { slot = f; wake?.(); } },
    error: (e) => { error = e; done = true; wake?.(); },
    complete: () => { done = true; wake?.(); },
  });
  try {
    for (;;) {
      if (slot) {
        const f = slot;
        slot = undefined;
        yield f;
        continue;
      }
      if (error) throw error;
      if (done) return;
      await new Promise<void>((r) => { wake = r; });
      wake = undefined;
    }
  } finally {
    sub.unsubscribe();
  }
}

function frames(input: string, every: number): AsyncGenerator<Frame> {
  const kind = sourceKind(input);
  if (kind === 'file') return fileFrames(input, { everyNth: every });
  if (kind === 'images') return imageSequenceFrames(input, { everyNth: every });
  return latest(input, every);
}

/**
 * Runs a detector over the frames of `input` and writes one MOT-det row per detection:
 * `frame,-1,x,y,w,h,score,class,-1,-1` with 1-based frame numbers (source frame index + 1).
 */
export async function runDetect(options: RunDetectOptions): Promise<RunDetectSummary> {
  const every = options.every ?? 1;
  const detector = await Detector.create(options.detector);
  const out = options.out ? createWriteStream(options.out) : process.stdout;
  const sum = { decodeMs: 0, preMs: 0, inferenceMs: 0, postMs: 0 };
  let count = 0;
  let rows = 0;
  try {
    for await (const frame of frames(options.input, every)) {
      const r = await detector.detect(frame);
      let text = '';
      for (const d of r.detections) {
        text += `${formatMotRow({ frame: frame.index + 1, id: -1, box: d.box, score: d.score, classOrX: d.classId, visibilityOrY: -1 })}\n`;
      }
      rows += r.detections.length;
      // the reader went away (stdout piped into `head`, EPIPE): nobody wants more rows
      if (out.destroyed) break;
      if (text && !out.write(text)) await once(out, 'drain');
      for (const k of Object.keys(sum) as (keyof DetectTimings)[]) sum[k] += r.timings[k];
      count++;
      options.onFrame?.(count);
      options.progress?.(`detect: frame ${frame.index + 1}, ${count} processed, ${rows} detections, ${r.timings.inferenceMs.toFixed(0)} ms inference`);
      if (options.maxFrames !== undefined && count >= options.maxFrames) break;
    }
  } finally {
    await detector.close();
    if (out !== process.stdout) {
      out.end();
      await once(out, 'close');
    }
  }
  const mean = (v: number): number => (count ? v / count : 0);
  return { frames: count, rows, meanMs: { decodeMs: mean(sum.decodeMs), preMs: mean(sum.preMs), inferenceMs: mean(sum.inferenceMs), postMs: mean(sum.postMs) } };
}
