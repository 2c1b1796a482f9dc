import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { cocoLabel, requireFinite, requireInteger, ValidationError, type Box, type Frame, type Track } from '../../core/index.js';
import { VideoError } from '../errors.js';
import { FfProcess } from '../ff-process.js';
import { waitDrain } from './wait-drain.js';
import { colorForId, drawLabelAt, drawText, fillRect, labelSize, strokeBox, type Rgb, type RgbImage } from './draw.js';
import { type Rect, layoutLabels } from './label-layout.js';

/** One thing to draw on a frame. */
export interface Annotation {
  readonly box: Box;
  /** Track id: picks the colour and prefixes the label with `#id`. */
  readonly id?: number;
  /** Text after the id, e.g. `person 0.87`. */
  readonly label?: string;
  /** Outline/label colour; default by id (or white without id). */
  readonly color?: Rgb;
}

/** Options of {@link AnnotatedVideoWriter}. */
export interface AnnotatedVideoOptions {
  /** Output frame rate (frames/s). Required. */
  readonly fps: number;
  /** x264 constant rate factor, 0 (lossless) … 51. Default 23. */
  readonly crf?: number;
  /** x264 preset. Default `veryfast`. */
  readonly preset?: string;
  /** Box outline width in px. Default 2. */
  readonly thickness?: number;
  /** Font pixel size (1 = 5×7 px glyphs). Default 2. */
  readonly fontScale?: number;
}

const DEFAULTS = { crf: 23, preset: 'veryfast', thickness: 2, fontScale: 2 };

/** Annotations for tracks: outline coloured by id, label `#id class score`. */
export function trackAnnotations(tracks: readonly Track[]): Annotation[] {
  return tracks.map((t) => ({ box: t.box, id: t.id, label: `${cocoLabel(t.classId)} ${t.score.toFixed(2)}` }));
}

/**
 * Writes an H.264 (yuv420p) MP4 with boxes, ids and labels drawn on each frame. Frames are drawn on
 * a copy (input frames stay untouched) and piped as rgb24 into ffmpeg/libx264 with
 * `-movflags +faststart`. The size is taken from the first frame; every frame must have it. `write`
 * waits for the pipe to drain; `close()` finishes the file and rejects with ffmpeg's stderr tail if
 * encoding failed (idempotent).
 */
export class AnnotatedVideoWriter {
  private readonly opts: Required<AnnotatedVideoOptions>;
  private proc: FfProcess | undefined;
  private size: { width: number; height: number } | undefined;
  private closing: Promise<void> | undefined;
  /** Frames written so far. */
  frames = 0;

  constructor(readonly path: string, options: AnnotatedVideoOptions) {
    this.opts = { ...DEFAULTS, ...options };
    if (!(requireFinite(this.opts.fps, 'AnnotatedVideoWriter.fps') > 0)) {
      throw new ValidationError(`AnnotatedVideoWriter.fps: expected a number > 0, got ${this.opts.fps}`, { field: 'fps' });
    }
    requireInteger(this.opts.crf, 'AnnotatedVideoWriter.crf', 0);
    if (this.opts.crf > 51) throw new ValidationError(`AnnotatedVideoWriter.crf: expected an integer in [0, 51], got ${this.opts.crf}`, { field: 'crf' });
    requireInteger(this.opts.thickness, 'AnnotatedVideoWriter.thickness', 1);
    requireInteger(this.opts.fontScale, 'AnnotatedVideoWriter.fontScale', 1);
  }

  private start(width: number, height: number): FfProcess {
    mkdirSync(dirname(this.path), { recursive: true });
    const even = width % 2 === 0 && height % 2 === 0;
    const args = [
      '-hide_banner', '-nostdin', '-v', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(this.opts.fps), '-i', 'pipe:0',
      '-an', ...(even ? [] : ['-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2']),
      '-c:v', 'libx264', '-preset', this.opts.preset, '-crf', String(this.opts.crf),
      '-pix_fmt', 'yuv420p', '-movflags', '+faststart', this.path,
    ];
    this.size = { width, height };
    return FfProcess.spawn('ffmpeg', args, { label: this.path, stdin: true, stdout: false });
  }

  private failed(proc: FfProcess, what: string): VideoError {
    const exit = proc.exitStatus;
    return new VideoError('ENCODE_FAILED', `cannot write ${this.path}: ${what} (ffmpeg ${proc.describeExit(exit)})`, {
      path: this.path, exitCode: exit?.code, signal: exit?.signal, stderrTail: proc.stderrTail(),
    });
  }

  /** Draws `annotations` (and an optional top-left `caption`) on a copy of `frame` and encodes it. */
  async write(frame: Frame, annotations: readonly Annotation[] = [], caption?: string): Promise<void> {
    if (this.closing) throw new VideoError('WRITER_CLOSED', `cannot write to ${this.path}: writer is closed`, { path: this.path });
    const proc = (this.proc ??= this.start(frame.width, frame.height));
    if (frame.width !== this.size!.width || frame.height !== this.size!.height) {
      throw new ValidationError(
        `AnnotatedVideoWriter(${this.path}): frame ${frame.index} is ${frame.width}x${frame.height}, expected ${this.size!.width}x${this.size!.height}`,
        { field: 'frame', index: frame.index },
      );
    }
    const img: RgbImage = { width: frame.width, height: frame.height, rgb: frame.rgb.slice() };
    this.draw(img, annotations, caption);
    if (proc.exitStatus) throw this.failed(proc, `encoder exited after ${this.frames} frames`);
    const stdin = proc.child.stdin!;
    if (stdin.destroyed) {
      await proc.exited;
      throw this.failed(proc, `encoder exited after ${this.frames} frames`);
    }
    this.frames++;
    if (!stdin.write(img.rgb)) {
      // proc.exited: a dead encoder never drains (its listeners go with the stream).
      await Promise.race([waitDrain(stdin), proc.exited]);
      if (proc.exitStatus) throw this.failed(proc, `encoder exited after ${this.frames - 1} frames`);
    }
  }

  private draw(img: RgbImage, annotations: readonly Annotation[], caption: string | undefined): void {
    const { thickness, fontScale } = this.opts;
    const reserved: Rect[] = [];
    if (caption) {
      const { width, height } = labelSize(caption, fontScale);
      reserved.push({ x: 0, y: 0, width, height });
    }
    const items = annotations.map((a) => ({
      a,
      color: a.color ?? (a.id !== undefined ? colorForId(a.id) : ([255, 255, 255] as const)),
      text: [a.id !== undefined ? `#${a.id}` : '', a.label ?? ''].filter(Boolean).join(' '),
    }));
    for (const { a, color } of items) strokeBox(img, a.box, color, thickness);
    // labels after every outline, so no outline crosses a label; placed inside the frame, apart
    const labelled = items.filter((i) => i.text !== '');
    const rects = layoutLabels(img.width, img.height, labelled.map((i) => ({ box: i.a.box, ...labelSize(i.text, fontScale) })), reserved);
    labelled.forEach((i, k) => drawLabelAt(img, rects[k].x, rects[k].y, i.text, i.color, fontScale));
    if (caption) {
      fillRect(img, 0, 0, reserved[0].width, reserved[0].height, [0, 0, 0]);
      drawText(img, fontScale, fontScale, caption, [255, 255, 255], fontScale);
    }
  }

  /**
   * Finishes the MP4 (closes ffmpeg's input, waits for it). Idempotent. Without any frame written,
   * no file is created.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const proc = this.proc;
      if (!proc) return;
      proc.child.stdin!.end();
      const exit = await proc.exited;
      if (exit.code !== 0) throw this.failed(proc, `encoding ${this.frames} frames failed`);
    })();
    return this.closing;
  }

  /** Stops ffmpeg at once (the file is left incomplete). Idempotent. */
  async abort(): Promise<void> {
    this.closing ??= Promise.resolve();
    await this.proc?.kill();
  }
}
