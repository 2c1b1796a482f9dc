import type { Observable } from 'rxjs';
import { type Frame, makeFrame, requireInteger, ValidationError } from '../core/index.js';
import { VideoError } from './errors.js';
import { framesObservable } from './pull-observable.js';
import { FfProcess } from './ff-process.js';
import { FrameAssembler } from './frame-assembler.js';
import { outputSize, type ResizeOptions } from './frame-size.js';
import { probeVideo, type VideoInfo } from './probe.js';

/** Decoded frames buffered ahead of a slow consumer before ffmpeg is paused. */
const MAX_QUEUED = 2;

/** Options of {@link fileSource} / {@link fileFrames}. */
export interface FileSourceOptions extends ResizeOptions {
  /** First source frame to emit (0-based). Default 0. */
  readonly startFrame?: number;
  /** Source frame index to stop before (exclusive). Default: end of the file. */
  readonly endFrame?: number;
  /** Emit every n-th frame from `startFrame` (1 = all). Default 1. */
  readonly everyNth?: number;
  /** Metadata from an earlier {@link probeVideo} call, to skip probing. */
  readonly info?: VideoInfo;
  /** Called with the ffmpeg child's pid once it is started (logging, tests). */
  readonly onSpawn?: (pid: number) => void;
}

/** What a file source will emit, resolved from the probe and the options. */
export interface FileSourceInfo {
  /** ffprobe metadata of the file. */
  readonly video: VideoInfo;
  /** Output frame size (after resize). */
  readonly width: number;
  readonly height: number;
  /** Source frame rate; Frame.ptsMs = index × 1000 / fps. */
  readonly fps: number;
  readonly startFrame: number;
  /** Exclusive end, clamped to the file's frame count. */
  readonly endFrame: number;
  readonly everyNth: number;
  /** Number of frames the source will emit. */
  readonly frameCount: number;
}

/** Resolves the options against the file's metadata (probes unless `options.info` is given). */
export async function fileSourceInfo(path: string, options: FileSourceOptions = {}): Promise<FileSourceInfo> {
  const startFrame = requireInteger(options.startFrame ?? 0, 'fileSource.startFrame', 0);
  const everyNth = requireInteger(options.everyNth ?? 1, 'fileSource.everyNth', 1);
  if (options.endFrame !== undefined) {
    requireInteger(options.endFrame, 'fileSource.endFrame', 0);
    if (options.endFrame < startFrame) {
      throw new ValidationError(`fileSource.endFrame: expected ≥ startFrame (${startFrame}), got ${options.endFrame}`, { field: 'fileSource.endFrame' });
    }
  }
  const video = options.info ?? (await probeVideo(path));
  const size = outputSize(video.width, video.height, options, 'fileSource');
  const total = Number.isFinite(video.frameCount) ? video.frameCount : Infinity;
  const endFrame = Math.min(options.endFrame ?? total, total);
  const frameCount = endFrame > startFrame ? Math.ceil((endFrame - startFrame) / everyNth) : 0;
  return Object.freeze({ video, ...size, fps: video.fps, startFrame, endFrame, everyNth, frameCount });
}

/** ffmpeg arguments that decode `path` to rgb24 rawvideo on stdout according to `info`. */
export function fileDecodeArgs(path: string, info: FileSourceInfo): string[] {
  const filters: string[] = [];
  const { startFrame: s, endFrame: e, everyNth: k } = info;
  if (s > 0 || k > 1) filters.push(`select='gte(n,${s})*not(mod(n-${s},${k}))'`);
  if (info.width !== info.video.width || info.height !== info.video.height) {
    filters.push(`scale=${info.width}:${info.height}:flags=bilinear`);
  }
  return [
    '-hide_banner', '-nostdin', '-v', 'error',
    '-i', path,
    '-an', '-sn', '-dn',
    ...(filters.length ? ['-vf', filters.join(',')] : []),
    '-vsync', '0',
    ...(Number.isFinite(e) ? ['-frames:v', String(info.frameCount)] : []),
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
  ];
}

/**
 * Decodes a video file to frames, pull-based: ffmpeg is paused (pipe backpressure) while the
 * consumer is busy. Frame.index is the source frame index, ptsMs = index × 1000 / fps. Breaking out
 * of the loop or aborting `signal` kills ffmpeg (SIGTERM, SIGKILL after 1 s).
 * @throws VideoError naming the path with ffmpeg's stderr tail when probing or decoding fails.
 */
export async function* fileFrames(
  path: string,
  options: FileSourceOptions = {},
  signal?: AbortSignal,
): AsyncGenerator<Frame, void, undefined> {
  const info = await fileSourceInfo(path, options);
  if (info.frameCount === 0 || signal?.aborted) return;
  const proc = FfProcess.spawn('ffmpeg', fileDecodeArgs(path, info), { label: path });
  const onAbort = (): void => void proc.kill();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (proc.pid !== undefined) options.onSpawn?.(proc.pid);
    const assembler = new FrameAssembler(info.width * info.height * 3);
    const stdout = proc.child.stdout!;
    // 'data' events plus pause/resume: one promise per frame instead of one per 64 KB pipe chunk
    // (for-await over the stream), and at most ~MAX_QUEUED decoded frames buffered.
    const ready: Uint8Array[] = [];
    let ended = false;
    let wake: (() => void) | undefined;
    stdout.on('data', (chunk: Buffer) => {
      assembler.push(chunk, (rgb) => ready.push(rgb));
      if (ready.length >= MAX_QUEUED) stdout.pause();
      wake?.();
    });
    stdout.once('close', () => {
      ended = true;
      wake?.();
    });
    let n = 0;
    for (;;) {
      const rgb = ready.shift();
      if (rgb) {
        if (ready.length < MAX_QUEUED && stdout.isPaused()) stdout.resume();
        const index = info.startFrame + n * info.everyNth;
        n++;
        yield makeFrame(index, (index * 1000) / info.fps, info.width, info.height, rgb);
        continue;
      }
      if (ended) break;
      await new Promise<void>((resolve) => { wake = resolve; });
      wake = undefined;
    }
    const exit = await proc.exited;
    if (signal?.aborted) return;
    if (exit.code !== 0 || assembler.pendingBytes > 0) {
      const why = exit.code !== 0 ? proc.describeExit(exit) : `stream ended inside a frame (${assembler.pendingBytes} stray bytes)`;
      throw new VideoError('DECODE_FAILED', `cannot decode ${path}: ffmpeg ${why} after ${n} frames`, {
        path, exitCode: exit.code, signal: exit.signal, stderrTail: proc.stderrTail(),
      });
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await proc.kill();
  }
}

/**
 * A video file as a cold Observable of rgb24 frames: each subscription probes the file (unless
 * `options.info` is given) and starts its own ffmpeg child; unsubscribing kills it. Frames are
 * pushed as fast as a synchronous subscriber takes them (no drops). For pull-based consumption use
 * {@link fileFrames}.
 */
export function fileSource(path: string, options: FileSourceOptions = {}): Observable<Frame> {
  return framesObservable((signal) => fileFrames(path, options, signal));
}
