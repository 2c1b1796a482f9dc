import { Observable } from 'rxjs';
import type { Worker } from 'node:worker_threads';
import { type Frame, makeFrame } from '../core/index.js';
import { VideoError } from './errors.js';
import { type PumpMessage, describePumpFailure, startPump } from './ffmpeg-pump.js';
import { outputSize, type ResizeOptions } from './frame-size.js';
import { liveInputArgs, parseLiveSpec, type LiveSpec } from './live-spec.js';
import { probeVideo } from './probe.js';

/** Options of {@link liveSource}. */
export interface LiveSourceOptions extends ResizeOptions {
  /** Native size and rate of the input; when given, the input is not probed first. */
  readonly input?: { readonly width: number; readonly height: number; readonly fps: number };
  /** Extra ffmpeg input options placed before `-i` (e.g. `['-video_size','640x480']` for v4l2). */
  readonly inputArgs?: readonly string[];
  /** After SIGTERM on teardown, wait this long (ms) before SIGKILL. Default 1000. */
  readonly killGraceMs?: number;
  /** Called with the ffmpeg child's pid once it is started (logging, tests). */
  readonly onSpawn?: (pid: number) => void;
}

/** Counters of the current (or last) subscription of a live source. */
export interface LiveSourceStats {
  /** Frames read from ffmpeg. */
  received: number;
  /** Frames handed to the subscriber. */
  delivered: number;
  /** Frames replaced in the one-frame mailbox before the subscriber was ready (latest frame wins). */
  dropped: number;
  /** pid of the ffmpeg child, while one is running. */
  pid: number | undefined;
}

/** Size and rate of a live source's frames. */
export interface LiveSourceInfo {
  readonly spec: string;
  readonly kind: LiveSpec['kind'];
  /** Output frame size (after resize). */
  readonly width: number;
  readonly height: number;
  /** Nominal frame rate of the input. */
  readonly fps: number;
}

/** A live source: a cold Observable of frames plus counters and metadata. */
export interface LiveSource {
  readonly spec: string;
  /**
   * Frames in real time. Frame.index counts frames read from ffmpeg (gaps = drops), Frame.ptsMs is
   * the wall-clock arrival time relative to the first frame. Each subscription starts its own ffmpeg
   * child in a worker thread; unsubscribing kills it (SIGTERM, then SIGKILL).
   */
  readonly frames$: Observable<Frame>;
  /** Live counters, reset at each subscription. */
  readonly stats: Readonly<LiveSourceStats>;
  /** Probes the input (once) and resolves the output size and rate. */
  info(): Promise<LiveSourceInfo>;
}

/**
 * Opens a live source (see {@link parseLiveSpec} for specs: `lavfi:<graph>`, `loop:<file>`,
 * `/dev/videoN`, `rtsp://…`, `http(s)://…`). A worker thread drains ffmpeg continuously and keeps
 * only the newest frame for the subscriber: when the subscriber is slower than the source, frames are
 * dropped and counted in `stats.dropped`, never queued. The subscriber is "ready" again as soon as
 * its `next` handler returns; an asynchronous consumer should therefore drop or coalesce itself
 * (e.g. with `exhaustMap`) rather than queue.
 */
export function liveSource(spec: string, options: LiveSourceOptions = {}): LiveSource {
  const parsed = parseLiveSpec(spec);
  const killGraceMs = options.killGraceMs ?? 1000;
  const stats: LiveSourceStats = { received: 0, delivered: 0, dropped: 0, pid: undefined };
  let infoPromise: Promise<LiveSourceInfo> | undefined;
  let native: { width: number; height: number } | undefined;

  const info = (): Promise<LiveSourceInfo> => {
    infoPromise ??= (async () => {
      const input = options.input ?? (await probeVideo(parsed.input, { format: parsed.format, countFrames: false }));
      native = { width: input.width, height: input.height };
      const size = outputSize(input.width, input.height, options, 'liveSource');
      return Object.freeze({ spec, kind: parsed.kind, ...size, fps: input.fps });
    })();
    return infoPromise;
  };

  const frames$ = new Observable<Frame>((subscriber) => {
    let worker: Worker | undefined;
    let closed = false;
    let killTimer: NodeJS.Timeout | undefined;
    Object.assign(stats, { received: 0, delivered: 0, dropped: 0, pid: undefined });

    const start = (meta: LiveSourceInfo): void => {
      if (closed) return;
      const scale = meta.width !== native?.width || meta.height !== native?.height;
      const args = [
        '-hide_banner', '-nostdin', '-v', 'error',
        ...liveInputArgs(parsed, options.inputArgs),
        '-an', '-sn', '-dn',
        ...(scale ? ['-vf', `scale=${meta.width}:${meta.height}:flags=bilinear`] : []),
        '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
      ];
      const w = startPump({ args, frameBytes: meta.width * meta.height * 3, killGraceMs });
      worker = w;
      w.on('message', (msg: PumpMessage) => {
        if (msg.type === 'spawn') {
          stats.pid = msg.pid;
          options.onSpawn?.(msg.pid);
        } else if (msg.type === 'frame') {
          stats.received = msg.received;
          stats.dropped = msg.dropped;
          if (closed) return;
          stats.delivered++;
          subscriber.next(makeFrame(msg.index, msg.ptsMs, meta.width, meta.height, new Uint8Array(msg.buffer)));
          if (!closed) w.postMessage('ready');
        } else {
          stats.received = msg.received;
          stats.dropped = msg.dropped;
          stats.pid = undefined;
          clearTimeout(killTimer);
          void w.terminate();
          if (closed) return;
          const why = describePumpFailure(msg);
          if (why === undefined) subscriber.complete();
          else {
            subscriber.error(new VideoError('SOURCE_FAILED', `live source ${spec} failed: ${why} after ${msg.received} frames`, {
              path: spec, exitCode: msg.code, signal: msg.signal, stderrTail: msg.stderrTail,
            }));
          }
        }
      });
      w.on('error', (err) => {
        if (!closed) subscriber.error(new VideoError('SOURCE_FAILED', `live source ${spec}: reader thread failed: ${err.message}`, { path: spec }));
      });
    };

    info().then(start, (err: unknown) => subscriber.error(err));

    return () => {
      closed = true;
      const w = worker;
      if (!w) return;
      w.postMessage('stop');
      // Fallback if the worker does not report the child's exit in time.
      const pid = stats.pid;
      killTimer = setTimeout(() => {
        if (pid !== undefined) {
          try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
        }
        void w.terminate();
      }, killGraceMs + 2000);
      killTimer.unref();
    };
  });

  return { spec, frames$, stats, info };
}
