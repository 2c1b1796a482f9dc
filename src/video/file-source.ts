import type { Observable } from 'rxjs';
import { type Frame, makeFrame, requireInteger, ValidationError } from '../core/index.js';
import { VideoError } from './errors.js';
import { framesObservable } from './pull-observable.js';
import { type PumpEnd, type PumpMessage, describePumpFailure, startPump } from './ffmpeg-pump.js';
import { outputSize, type ResizeOptions } from './frame-size.js';
import { probeVideo, type VideoInfo } from './probe.js';

/** Decoded frames buffered ahead of a slow consumer before ffmpeg is paused (4 × 1.3 MB at 768x576). */
const MAX_QUEUED = 4;
/** After SIGTERM, wait this long before SIGKILL. */
const KILL_GRACE_MS = 1000;

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
 * Decodes a video file to frames, pull-based: a worker thread runs ffmpeg and drains its output
 * (so decoding goes on while the consumer is busy on this thread), at most {@link MAX_QUEUED} decoded
 * frames wait ahead of the consumer, then ffmpeg is paused. Frame.index is the source frame index,
 * ptsMs = index × 1000 / fps. Breaking out of the loop or aborting `signal` kills ffmpeg (SIGTERM,
 * SIGKILL after 1 s) and waits for it to exit.
 * @throws VideoError naming the path with ffmpeg's stderr tail when probing or decoding fails.
 */
export async function* fileFrames(
  path: string,
  options: FileSourceOptions = {},
  signal?: AbortSignal,
): AsyncGenerator<Frame, void, undefined> {
  const info = await fileSourceInfo(path, options);
  if (info.frameCount === 0 || signal?.aborted) return;
  const pump = startPump({ args: fileDecodeArgs(path, info), frameBytes: info.width * info.height * 3, killGraceMs: KILL_GRACE_MS, maxQueued: MAX_QUEUED });
  const inbox: Exclude<PumpMessage, { type: 'spawn' }>[] = [];
  let wake: (() => void) | undefined;
  let threadError: Error | undefined;
  pump.on('message', (m: PumpMessage) => {
    if (m.type === 'spawn') options.onSpawn?.(m.pid);
    else inbox.push(m);
    wake?.();
  });
  pump.on('error', (e) => {
    threadError = e;
    wake?.();
  });
  const next = async (): Promise<(typeof inbox)[number] | undefined> => {
    while (inbox.length === 0 && !threadError) await new Promise<void>((resolve) => { wake = resolve; });
    return inbox.shift();
  };
  const stop = (): void => pump.postMessage('stop');
  signal?.addEventListener('abort', stop, { once: true });
  let end: PumpEnd | undefined;
  let n = 0;
  try {
    for (;;) {
      const m = await next();
      if (!m) throw new VideoError('DECODE_FAILED', `cannot decode ${path}: reader thread failed: ${threadError?.message}`, { path });
      if (m.type === 'end') {
        end = m;
        break;
      }
      pump.postMessage('ready');
      const index = info.startFrame + n * info.everyNth;
      n++;
      yield makeFrame(index, (index * 1000) / info.fps, info.width, info.height, new Uint8Array(m.buffer));
    }
    if (signal?.aborted) return;
    const why = describePumpFailure(end);
    if (why !== undefined) {
      throw new VideoError('DECODE_FAILED', `cannot decode ${path}: ${why} after ${n} frames`, {
        path, exitCode: end.code, signal: end.signal, stderrTail: end.stderrTail,
      });
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    if (!end && !threadError) {
      // stopped early: kill ffmpeg and wait until the pump has seen it exit (its 'end')
      stop();
      const deadline = setTimeout(() => { threadError ??= new Error('no end from the pump'); wake?.(); }, KILL_GRACE_MS + 2000);
      for (let m = await next(); m && m.type !== 'end'; m = await next());
      clearTimeout(deadline);
    }
    await pump.terminate();
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
