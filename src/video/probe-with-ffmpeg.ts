import { VideoError } from './errors.js';
import { FfProcess } from './ff-process.js';

/** What {@link parseFfmpegInputInfo} reads from `ffmpeg -i`'s banner, for the first video stream. */
export interface FfmpegInputInfo {
  /** Container format name(s), e.g. `mpegts` or `mov,mp4,m4a,3gp,3g2,mj2`. */
  readonly container: string;
  /** Container duration in ms; NaN when ffmpeg prints `N/A`. */
  readonly durationMs: number;
  readonly codec: string;
  readonly pixFmt: string;
  /** Coded size (before rotation). */
  readonly width: number;
  readonly height: number;
  /** `fps`, else `tbr`; NaN when neither is printed. */
  readonly fps: number;
  /** Display rotation in degrees (display matrix, else the `rotate` tag); 0 when none. */
  readonly rotation: number;
}

/** Splits on commas that are not inside parentheses: `yuv420p(tv, bt709)` stays one field. */
function topLevelFields(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}

/** Reads `12.5`, `29.97` or `30k` (ffmpeg's rate notation). */
const rate = (text: string): number => (text.endsWith('k') ? Number(text.slice(0, -1)) * 1000 : Number(text));

/**
 * Parses the input banner `ffmpeg -hide_banner -i <input>` prints on stderr (the format has been
 * stable since ffmpeg 2.x): `Input #0, <container>, from …`, `Duration: HH:MM:SS.ss`, and the first
 * `Stream #0:N…: Video: <codec> …, <pix_fmt>…, <W>x<H> …, <fps> fps, <tbr> tbr, …` line with the
 * `rotate` tag and `displaymatrix: rotation of <deg> degrees` lines of that stream's block.
 * @returns undefined when the text holds no video stream line.
 */
export function parseFfmpegInputInfo(stderr: string): FfmpegInputInfo | undefined {
  const lines = stderr.split(/\r?\n/);
  const container = /^Input #0, (.+?), from /m.exec(stderr)?.[1] ?? 'unknown';
  const d = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr);
  const durationMs = d ? Math.round((Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3])) * 1000) : Number.NaN;
  const at = lines.findIndex((l) => /^\s*Stream #0:\d+.*?: Video: /.test(l));
  if (at < 0) return undefined;
  const fields = topLevelFields(lines[at].replace(/^.*?: Video: /, ''));
  const codec = fields[0].split(/\s+/)[0] || 'unknown';
  const pixFmt = (fields[1] ?? '').split(/[\s(]/)[0] || 'unknown';
  const size = fields.map((f) => /^(\d+)x(\d+)\b/.exec(f)).find((m) => m !== null);
  const fpsField = fields.find((f) => / fps$/.test(f)) ?? fields.find((f) => / tbr$/.test(f));
  const fps = fpsField ? rate(fpsField.split(' ')[0]) : Number.NaN;
  // the stream's own block: indented lines up to the next Stream/Input line
  let rotation = 0;
  let tag: number | undefined;
  for (let i = at + 1; i < lines.length && !/^\S|^\s*Stream #/.test(lines[i]); i++) {
    const m = /displaymatrix: rotation of (-?[\d.]+) degrees/.exec(lines[i]);
    if (m) rotation = Number(m[1]);
    const t = /^\s*rotate\s*:\s*(-?\d+)/.exec(lines[i]);
    if (t) tag = Number(t[1]);
  }
  if (rotation === 0 && tag !== undefined) rotation = tag;
  return {
    container, durationMs, codec, pixFmt, fps, rotation,
    width: size ? Number(size[1]) : 0,
    height: size ? Number(size[2]) : 0,
  };
}

/** Runs ffmpeg to completion; resolves with its whole stderr (the banner and the progress lines). */
async function ffmpegStderr(args: readonly string[], label: string): Promise<{ stderr: string; code: number | null; signal: NodeJS.Signals | null }> {
  const p = FfProcess.spawn('ffmpeg', args, { label, stdout: false, stderrTailChars: 4_000_000 });
  const exit = await p.exited;
  if (exit.spawnError) throw new VideoError('PROBE_FAILED', `cannot probe ${label}: could not start ffmpeg: ${exit.spawnError.message}`, { path: label });
  return { stderr: p.stderrTail(), code: exit.code, signal: exit.signal };
}

/**
 * Probes the first video stream with ffmpeg instead of ffprobe: the banner of `ffmpeg -i`, and, when
 * `countFrames`, the frame count from a stream-copy pass (`-map 0:v:0 -c copy -f null -`, reads the
 * whole input like `ffprobe -count_packets`). The fallback of {@link probeVideo} when ffprobe crashes
 * (the ffprobe that `@ffprobe-installer` ships dies with SIGSEGV on every MPEG-TS input).
 * @throws VideoError `PROBE_FAILED` naming the input, with ffmpeg's last lines.
 */
export async function probeWithFfmpeg(input: string, options: { format?: string; countFrames?: boolean } = {}): Promise<FfmpegInputInfo & { frameCount: number }> {
  const inputArgs = ['-hide_banner', '-nostdin', ...(options.format ? ['-f', options.format] : []), '-i', input];
  const banner = await ffmpegStderr(inputArgs, input);
  const info = parseFfmpegInputInfo(banner.stderr);
  const tail = banner.stderr.trim().split('\n').slice(-5).join('\n');
  if (!info) throw new VideoError('PROBE_FAILED', `cannot probe ${input}: ffmpeg found no video stream`, { path: input, exitCode: banner.code, signal: banner.signal, stderrTail: tail });
  let frameCount = Number.NaN;
  if (options.countFrames !== false) {
    const pass = await ffmpegStderr([...inputArgs, '-map', '0:v:0', '-c', 'copy', '-f', 'null', '-'], input);
    const counts = [...pass.stderr.matchAll(/frame=\s*(\d+)/g)];
    if (pass.code === 0 && counts.length > 0) frameCount = Number(counts[counts.length - 1][1]);
  }
  return { ...info, frameCount };
}
