import { Worker } from 'node:worker_threads';
import { resolveFfPath } from './ffmpeg-path.js';

/** The pump's last message: how ffmpeg ended (sent after every frame). */
export interface PumpEnd {
  readonly type: 'end';
  readonly code: number | null;
  readonly signal: string | null;
  readonly spawnError?: string;
  readonly stderrTail: string;
  readonly received: number;
  readonly dropped: number;
  /** True when main asked the pump to stop. */
  readonly stopped: boolean;
  /** Bytes of an incomplete last frame (the stream ended inside a frame). */
  readonly strayBytes: number;
}

/** Messages from the pump worker (src/video/ffmpeg-pump.worker.mjs). */
export type PumpMessage =
  | { readonly type: 'spawn'; readonly pid: number }
  | { readonly type: 'frame'; readonly index: number; readonly ptsMs: number; readonly buffer: ArrayBuffer; readonly received: number; readonly dropped: number }
  | PumpEnd;

/** Options of {@link startPump}. */
export interface PumpOptions {
  /** ffmpeg arguments; the output must be rgb24 rawvideo on `pipe:1`. */
  readonly args: readonly string[];
  readonly frameBytes: number;
  /** After SIGTERM on 'stop', wait this long (ms) before SIGKILL. */
  readonly killGraceMs: number;
  /**
   * Queue mode (file sources): frames never dropped, ffmpeg paused while this many are unconsumed
   * (main posts 'ready' for each frame it takes). Omitted: latest-frame-wins mailbox (live sources).
   */
  readonly maxQueued?: number;
}

const WORKER_URL = new URL('./ffmpeg-pump.worker.mjs', import.meta.url);

/**
 * Starts a worker thread that runs ffmpeg and drains its stdout into frames, so decoding goes on
 * while this thread is busy. Post 'ready' after consuming a frame, 'stop' to kill ffmpeg (an 'end'
 * message follows); terminate the worker after 'end'.
 */
export function startPump(options: PumpOptions): Worker {
  return new Worker(WORKER_URL, {
    workerData: { bin: resolveFfPath('ffmpeg').path, tailChars: 4000, ...options },
  });
}

/** Why a pump ended badly, for error messages; undefined when ffmpeg exited 0 on a frame boundary. */
export function describePumpFailure(end: PumpEnd): string | undefined {
  if (end.spawnError) return `could not start ffmpeg: ${end.spawnError}`;
  if (end.code === 0) return end.strayBytes > 0 ? `stream ended inside a frame (${end.strayBytes} stray bytes)` : undefined;
  return end.signal ? `ffmpeg killed by ${end.signal}` : `ffmpeg exit code ${end.code}`;
}
