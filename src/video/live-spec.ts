import { ValidationError } from '../core/index.js';

/** Kind of live input, derived from the spec string. */
export type LiveKind = 'lavfi' | 'v4l2' | 'rtsp' | 'http' | 'loop';

/** A parsed live source spec: the ffmpeg input arguments and what to probe. */
export interface LiveSpec {
  readonly spec: string;
  readonly kind: LiveKind;
  /** Input as passed to ffmpeg/ffprobe after `-i` (graph, device path, URL or file). */
  readonly input: string;
  /** `-f` format to force, if any. */
  readonly format?: string;
  /** Whether ffmpeg must pace reading at the native frame rate (`-re`): lavfi graphs and looped files. */
  readonly paced: boolean;
}

/** True when `spec` names a live source: `lavfi:…`, `loop:…`, `/dev/video…`, `rtsp(s)://`, `http(s)://`. */
export function isLiveSpec(spec: string): boolean {
  return /^(lavfi:|loop:|\/dev\/video|rtsps?:\/\/|https?:\/\/)/i.test(spec);
}

/**
 * Parses a live source spec:
 * - `lavfi:<graph>` — an ffmpeg lavfi graph, e.g. `lavfi:testsrc=rate=10:size=320x240`, paced in real time;
 * - `loop:<file>` — a video file looped forever, paced in real time;
 * - `/dev/videoN` — a V4L2 camera;
 * - `rtsp://…`, `rtsps://…` — an RTSP stream (TCP transport);
 * - `http://…`, `https://…` — an HTTP(S) stream ffmpeg can read (MJPEG, HLS, MPEG-TS, …).
 */
export function parseLiveSpec(spec: string): LiveSpec {
  if (typeof spec !== 'string' || spec.length === 0) {
    throw new ValidationError(`live source: expected a spec string, got ${JSON.stringify(spec)}`, { field: 'spec' });
  }
  const lower = spec.toLowerCase();
  const bad = (what: string): never => {
    throw new ValidationError(`live source ${JSON.stringify(spec)}: ${what}`, { field: 'spec', spec });
  };
  if (lower.startsWith('lavfi:')) {
    const graph = spec.slice(6);
    if (!graph) bad('expected a lavfi graph after "lavfi:", e.g. lavfi:testsrc=rate=10');
    return { spec, kind: 'lavfi', input: graph, format: 'lavfi', paced: true };
  }
  if (lower.startsWith('loop:')) {
    const file = spec.slice(5);
    if (!file) bad('expected a file after "loop:"');
    return { spec, kind: 'loop', input: file, paced: true };
  }
  if (lower.startsWith('/dev/video')) return { spec, kind: 'v4l2', input: spec, format: 'v4l2', paced: false };
  if (/^rtsps?:\/\//.test(lower)) return { spec, kind: 'rtsp', input: spec, format: 'rtsp', paced: false };
  if (/^https?:\/\//.test(lower)) return { spec, kind: 'http', input: spec, paced: false };
  return bad('expected lavfi:<graph>, loop:<file>, /dev/videoN, rtsp://… or http(s)://…');
}

/** ffmpeg input arguments (everything up to and including `-i <input>`) for a live spec. */
export function liveInputArgs(s: LiveSpec, extra: readonly string[] = []): string[] {
  const args: string[] = [];
  if (s.kind === 'rtsp') args.push('-rtsp_transport', 'tcp');
  if (s.kind === 'loop') args.push('-stream_loop', '-1');
  if (s.paced) args.push('-re');
  if (s.format && s.kind !== 'rtsp') args.push('-f', s.format);
  args.push(...extra, '-i', s.input);
  return args;
}
