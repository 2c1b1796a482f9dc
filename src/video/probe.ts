import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { VideoError } from './errors.js';
import { runFfToText } from './ff-process.js';
import { probeWithFfmpeg } from './probe-with-ffmpeg.js';

/** Metadata of a video file (first video stream), as reported by ffprobe. */
export interface VideoInfo {
  /** The probed input, as given. */
  readonly path: string;
  /** Frames per second (average frame rate, else the stream's base rate). */
  readonly fps: number;
  /** Size of the decoded frames: after the container's rotation (a phone video shot upright is tall). */
  readonly width: number;
  readonly height: number;
  /**
   * Rotation the container asks players to apply (display matrix or `rotate` tag), in degrees as
   * ffprobe reports it, 0 when none. ffmpeg applies it when decoding (autorotate), so for ±90 the
   * decoded frames are `height`×`width` of the coded stream — which is what width/height above give.
   */
  readonly rotation: number;
  /** Number of video frames: the container's count, or packets counted when the container has none. */
  readonly frameCount: number;
  /** Duration in ms (stream, else container duration; else frameCount / fps). */
  readonly durationMs: number;
  /** Codec name, e.g. `h264`, `msmpeg4v3`. */
  readonly codec: string;
  /** Pixel format of the stream, e.g. `yuv420p`. */
  readonly pixFmt: string;
  /** Container format name(s), e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  readonly container: string;
}

/** Options of {@link probeVideo}. */
export interface ProbeOptions {
  /** Input format forced with `-f` (e.g. `lavfi`, `v4l2`); default: detected by ffprobe. */
  readonly format?: string;
  /** Count packets when the container has no frame count (slower: reads the file). Default true. */
  readonly countFrames?: boolean;
}

interface RawStream {
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  duration?: string;
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number | string }[];
}
interface RawProbe {
  streams?: RawStream[];
  format?: { duration?: string; format_name?: string };
}

/** Parses an ffprobe rational such as `30000/1001`; NaN when absent or 0/0. */
export function parseRational(text: string | undefined): number {
  if (!text) return NaN;
  const [n, d = '1'] = text.split('/');
  const v = Number(n) / Number(d);
  return Number.isFinite(v) && v > 0 ? v : NaN;
}

async function ffprobeJson(input: string, extra: string[], options: ProbeOptions): Promise<RawProbe> {
  const args = ['-v', 'error', ...(options.format ? ['-f', options.format] : []), ...extra, '-of', 'json', input];
  const { stdout, exit, stderrTail } = await runFfToText('ffprobe', args, input);
  if (exit.code !== 0) {
    const missing = !options.format && !/^[a-z][a-z0-9+.-]*:/i.test(input) && !existsSync(input);
    const why = exit.spawnError ? `could not start ffprobe: ${exit.spawnError.message}` : `exit code ${exit.code ?? exit.signal}`;
    throw new VideoError(
      missing ? 'INPUT_NOT_FOUND' : 'PROBE_FAILED',
      missing ? `cannot probe ${input}: file not found (ffprobe ${why})` : `cannot probe ${input}: ffprobe failed (${why})`,
      { path: input, exitCode: exit.code, signal: exit.signal, stderrTail },
    );
  }
  try {
    return JSON.parse(stdout) as RawProbe;
  } catch {
    throw new VideoError('PROBE_FAILED', `cannot probe ${input}: ffprobe printed invalid JSON`, { path: input, stderrTail });
  }
}

const ENTRIES = 'stream=codec_name,width,height,pix_fmt,r_frame_rate,avg_frame_rate,nb_frames,duration:stream_tags=rotate:stream_side_data=rotation:format=duration,format_name';

/** The stream's display rotation in degrees (side data first, then the legacy `rotate` tag); 0 when none. */
function streamRotation(s: RawStream): number {
  for (const side of s.side_data_list ?? []) {
    const r = Number(side.rotation);
    if (side.rotation !== undefined && Number.isFinite(r)) return r;
  }
  const tag = Number(s.tags?.rotate);
  return Number.isFinite(tag) ? tag : 0;
}

/** Results for regular files, keyed by path and options; an entry holds while size and mtime do. */
const probed = new Map<string, { readonly size: number; readonly mtimeMs: number; readonly info: VideoInfo }>();
const PROBE_CACHE_ENTRIES = 64;

/**
 * Probes the first video stream of `input` with ffprobe (with ffmpeg when ffprobe crashes). Results
 * for a regular file are kept while its size and modification time stay the same, so the several
 * parts of one run (source, oracle, evaluation) and the runs of an experiment probe it once.
 * @throws VideoError `INPUT_NOT_FOUND` (missing file) or `PROBE_FAILED` (corrupt input, no video
 *   stream, unknown frame rate); the message names the input and ends with ffprobe's stderr tail.
 */
export async function probeVideo(input: string, options: ProbeOptions = {}): Promise<VideoInfo> {
  const opts = { countFrames: true, ...options };
  const file = regularFile(input);
  const key = `${opts.format ?? ''}|${opts.countFrames}|${file?.path ?? ''}`;
  const hit = file && probed.get(key);
  if (file && hit && hit.size === file.size && hit.mtimeMs === file.mtimeMs) {
    return hit.info.path === input ? hit.info : Object.freeze({ ...hit.info, path: input });
  }
  const info = await probeUncached(input, opts);
  if (file) {
    probed.delete(key);
    probed.set(key, { size: file.size, mtimeMs: file.mtimeMs, info });
    if (probed.size > PROBE_CACHE_ENTRIES) probed.delete(probed.keys().next().value!);
  }
  return info;
}

/** Size of the frames ffmpeg decodes: its autorotate transposes the picture for quarter turns. */
function decodedSize(codedWidth: number, codedHeight: number, rotation: number): { width: number; height: number } {
  const quarterTurn = Math.abs(Math.round(rotation / 90)) % 2 === 1;
  return quarterTurn ? { width: codedHeight, height: codedWidth } : { width: codedWidth, height: codedHeight };
}

/** Size and mtime of `input` when it is a regular file (not a URL, device or missing path). */
function regularFile(input: string): { path: string; size: number; mtimeMs: number } | undefined {
  try {
    const st = statSync(input);
    return st.isFile() ? { path: resolve(input), size: st.size, mtimeMs: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

async function probeUncached(input: string, opts: ProbeOptions & { countFrames: boolean }): Promise<VideoInfo> {
  let raw: RawProbe;
  try {
    raw = await ffprobeJson(input, ['-select_streams', 'v:0', '-show_entries', ENTRIES], opts);
  } catch (err) {
    // ffprobe crashed (not: refused the input): ask ffmpeg instead
    if (err instanceof VideoError && err.info.signal) return probeVideoWithFfmpeg(input, opts);
    throw err;
  }
  const s = raw.streams?.[0];
  const fail = (what: string): never => {
    throw new VideoError('PROBE_FAILED', `cannot probe ${input}: ${what}`, { path: input });
  };
  if (!s) return fail('no video stream');
  const codedWidth = s.width ?? 0;
  const codedHeight = s.height ?? 0;
  if (!(codedWidth > 0 && codedHeight > 0)) fail(`video stream has no size (got ${codedWidth}x${codedHeight})`);
  const rotation = streamRotation(s);
  const { width, height } = decodedSize(codedWidth, codedHeight, rotation);
  let fps = parseRational(s.avg_frame_rate);
  if (!Number.isFinite(fps)) fps = parseRational(s.r_frame_rate);
  if (!Number.isFinite(fps)) fail(`unknown frame rate (avg ${s.avg_frame_rate}, base ${s.r_frame_rate})`);
  let frameCount = Number(s.nb_frames);
  if (!(Number.isInteger(frameCount) && frameCount > 0) && opts.countFrames) {
    const counted = await ffprobeJson(input, ['-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets'], opts);
    frameCount = Number(counted.streams?.[0]?.nb_read_packets);
  }
  if (!(Number.isInteger(frameCount) && frameCount >= 0)) frameCount = NaN;
  let durationSec = Number(s.duration);
  if (!Number.isFinite(durationSec)) durationSec = Number(raw.format?.duration);
  if (!Number.isFinite(durationSec)) durationSec = frameCount / fps;
  return Object.freeze({
    path: input,
    fps,
    width,
    height,
    rotation,
    frameCount,
    durationMs: Math.round(durationSec * 1e6) / 1e3,
    codec: s.codec_name ?? 'unknown',
    pixFmt: s.pix_fmt ?? 'unknown',
    container: raw.format?.format_name ?? 'unknown',
  });
}

/** {@link probeVideo} through ffmpeg's input banner (see {@link probeWithFfmpeg}). */
async function probeVideoWithFfmpeg(input: string, opts: ProbeOptions): Promise<VideoInfo> {
  const i = await probeWithFfmpeg(input, opts);
  const fail = (what: string): never => {
    throw new VideoError('PROBE_FAILED', `cannot probe ${input}: ${what} (ffprobe crashed; probed with ffmpeg)`, { path: input });
  };
  if (!(i.width > 0 && i.height > 0)) fail(`video stream has no size (got ${i.width}x${i.height})`);
  if (!Number.isFinite(i.fps) || i.fps <= 0) fail('unknown frame rate');
  const { width, height } = decodedSize(i.width, i.height, i.rotation);
  const durationMs = Number.isFinite(i.durationMs) ? i.durationMs : Math.round((i.frameCount / i.fps) * 1e6) / 1e3;
  return Object.freeze({
    path: input, fps: i.fps, width, height, rotation: i.rotation, frameCount: i.frameCount, durationMs,
    codec: i.codec, pixFmt: i.pixFmt, container: i.container,
  });
}
