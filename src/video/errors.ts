/** Stable machine-readable codes carried by every {@link VideoError}. */
export type VideoErrorCode =
  | 'FFMPEG_NOT_FOUND'
  | 'INPUT_NOT_FOUND'
  | 'PROBE_FAILED'
  | 'DECODE_FAILED'
  | 'ENCODE_FAILED'
  | 'SOURCE_FAILED'
  | 'WRITER_CLOSED';

/**
 * Named error for video input/output failures. The message names the path (or source spec) and ends
 * with the tail of ffmpeg's/ffprobe's stderr when a child process was involved; `info` carries the
 * same facts for programs.
 */
export class VideoError extends Error {
  override readonly name = 'VideoError';
  /** Stable code, e.g. `PROBE_FAILED`. */
  readonly code: VideoErrorCode;
  /** Path or spec, exit code/signal, stderr tail. */
  readonly info: Readonly<{ path?: string; exitCode?: number | null; signal?: string | null; stderrTail?: string; [k: string]: unknown }>;

  constructor(code: VideoErrorCode, message: string, info: VideoError['info'] = {}) {
    const tail = info.stderrTail?.trim();
    super(tail ? `${message}\n--- stderr (tail) ---\n${tail}` : message);
    this.code = code;
    this.info = Object.freeze({ ...info });
  }
}
