/**
 * Training-data augmentation for the controller: a training sequence seen through a different lens.
 * Which offload quality still lets the detector see the objects depends on how large they are in the
 * frame, and a handful of training videos covers few sizes. `zoom-out` shrinks the picture to half its
 * width and height in the middle of a frame of the original size (objects half as large: the lowest
 * quality stops seeing them sooner); `zoom-in` crops the middle half and scales it back up (objects twice
 * as large). The ground truth is transformed with the picture (boxes mostly outside a crop are dropped).
 * The frame rate is a second thing a few training videos fix by accident: when every slow video shows
 * pedestrians and every fast one animals and cars, a policy learns the frame rate as the name of the
 * content. `half-fps` and `third-fps` keep every 2nd / 3rd frame (the same scene filmed at a lower
 * rate: objects move 2 / 3 times farther between frames, a network delay spans fewer frames); the
 * ground truth keeps the same frames, renumbered. `triple-fps` goes the other way: ffmpeg's
 * motion-compensated interpolation (`minterpolate`) makes two frames between every pair (a 7 fps
 * video becomes a 21 fps one: a network delay spans three times as many frames), the ground truth is
 * interpolated linearly per track between the original frames, and the copy is cut at
 * {@link MAX_INTERPOLATED_FRAMES} frames so that its episodes cost no more than the longest original.
 * A source may itself be an augmented sequence (e.g. `zoom-in` then `triple-fps`).
 * The result is an ordinary MOT sequence folder (video.mp4, gt.txt, seqinfo.ini) in the cache, keyed by
 * the source files' contents and the kind, built once with the npm-installed ffmpeg (see pinnedFfmpeg).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ValidationError } from '../../core/index.js';
import { findSeqInfo } from '../../eval/seqinfo.js';
import { cacheDir } from '../../pipeline/cache-dir.js';
import { probeSource } from '../../video/index.js';
import { createRequire } from 'node:module';
import { ffmpegPath } from '../../video/ffmpeg-path.js';

/** The augmentations (see the module comment). */
export const AUGMENTATIONS = Object.freeze(['zoom-out', 'zoom-in', 'half-fps', 'third-fps', 'triple-fps'] as const);
export type Augmentation = (typeof AUGMENTATIONS)[number];

/**
 * Bump when the output of an augmentation changes. 2: the frame rate comes from seqinfo.ini (copies of
 * sequences whose container says another rate were built at the wrong one; the others are unchanged).
 */
const VERSION = 2;
/** Longest `triple-fps` copy, in frames (the longest development sequence, PETS09-S2L1, has 795). */
export const MAX_INTERPOLATED_FRAMES = 800;
/** Grey of the border around a zoomed-out picture (the detectors' letterbox grey). */
const BORDER = '0x727272';

/** An augmented sequence: its video, ground truth and a name for reports. */
export interface AugmentedSequence {
  readonly name: string;
  readonly video: string;
  /** Transformed ground truth; absent when the source had none (the oracle then scores it). */
  readonly gt?: string;
}

/** Builds (or finds in the cache) the `kind` augmentation of a sequence. Throws naming a missing input. */
export async function augmentSequence(source: { readonly name: string; readonly video: string; readonly gt?: string }, kind: Augmentation): Promise<AugmentedSequence> {
  if (!AUGMENTATIONS.includes(kind)) throw new ValidationError(`augmentation: expected one of ${AUGMENTATIONS.join(', ')}, got ${JSON.stringify(kind)}`, { field: 'augmentation' });
  const inputs = source.gt === undefined ? [source.video] : [source.video, source.gt];
  for (const f of inputs) if (!existsSync(f)) throw new ValidationError(`augmentation of ${source.name}: ${f} is missing`, { path: f });
  const hash = createHash('sha256').update(`${VERSION}|${kind}|`);
  for (const f of inputs) hash.update(readFileSync(f));
  const name = `${source.name}+${kind}`;
  const dir = join(cacheDir('augmented'), `${name}-${hash.digest('hex').slice(0, 16)}`);
  const out = { name, video: join(dir, 'video.mp4'), ...(source.gt !== undefined ? { gt: join(dir, 'gt.txt') } : {}) };
  if (existsSync(join(dir, 'seqinfo.ini'))) return out;
  const probe = await probeSource(source.video);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const fps = sequenceFps(source, probe.fps);
    if (kind.endsWith('-fps') && !(fps > 0)) throw new ValidationError(`augmentation of ${source.video}: its frame rate is unknown (got ${fps})`, { path: source.video });
    if (kind === 'half-fps' || kind === 'third-fps') await writeFrameStep(source, fps, kind === 'half-fps' ? 2 : 3, tmp, name);
    else if (kind === 'triple-fps') await writeInterpolated(source, fps, probe.frameCount ?? undefined, 3, tmp, name);
    else await writeZoom(source, probe.width, probe.height, kind, tmp, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return out;
}

/** The x264 encoding of every augmented video (same settings ⇒ same bytes with the pinned ffmpeg). */
const ENCODE = ['-an', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '16', '-pix_fmt', 'yuv420p', '-threads', '1'];

/** Writes the zoomed `w`×`h` picture of the source and its transformed ground truth into `dir`. */
async function writeZoom(source: { readonly video: string; readonly gt?: string }, w: number, h: number, kind: 'zoom-out' | 'zoom-in', dir: string, name: string): Promise<void> {
  // even sizes for yuv420p; the picture's geometry in output px: x' = a·x + b
  const half = { w: 2 * Math.round(w / 4), h: 2 * Math.round(h / 4) };
  const filter = kind === 'zoom-out'
    ? `scale=${half.w}:${half.h}:flags=area,pad=${w}:${h}:${(w - half.w) / 2}:${(h - half.h) / 2}:color=${BORDER}`
    : `crop=${half.w}:${half.h}:${(w - half.w) / 2}:${(h - half.h) / 2},scale=${w}:${h}:flags=bicubic`;
  await runFfmpeg(['-v', 'error', '-i', source.video, '-vf', filter, ...ENCODE, join(dir, 'video.mp4')]);
  const map = kind === 'zoom-out'
    ? { sx: half.w / w, sy: half.h / h, bx: (w - half.w) / 2, by: (h - half.h) / 2, clip: undefined }
    : { sx: w / half.w, sy: h / half.h, bx: -((w - half.w) / 2) * (w / half.w), by: -((h - half.h) / 2) * (h / half.h), clip: { w, h } };
  if (source.gt !== undefined) writeFileSync(join(dir, 'gt.txt'), transformMot(readFileSync(source.gt, 'utf8'), map));
  writeSeqInfo(dir, source, { name, imWidth: String(w), imHeight: String(h) });
}

/** Writes every `step`-th frame of the source (frames 0, step, 2·step, …) and its ground truth into `dir`. */
async function writeFrameStep(source: { readonly video: string; readonly gt?: string }, fps: number, step: number, dir: string, name: string): Promise<void> {
  const rate = fps / step;
  await runFfmpeg(['-v', 'error', '-i', source.video, '-vf', `select='not(mod(n\\,${step}))',setpts=N/(${rate}*TB)`, '-r', String(rate), ...ENCODE, join(dir, 'video.mp4')]);
  const frames = (await probeSource(join(dir, 'video.mp4'))).frameCount;
  if (source.gt !== undefined) writeFileSync(join(dir, 'gt.txt'), stepMot(readFileSync(source.gt, 'utf8'), step));
  writeSeqInfo(dir, source, { name, frameRate: String(rate), ...(frames ? { seqLength: String(frames) } : {}) });
}

/**
 * Writes the source at `factor` times its frame rate (motion-compensated interpolation), at most
 * {@link MAX_INTERPOLATED_FRAMES} frames, and its interpolated ground truth into `dir`.
 */
async function writeInterpolated(source: { readonly video: string; readonly gt?: string }, fps: number, sourceFrames: number | undefined, factor: number, dir: string, name: string): Promise<void> {
  if (!(sourceFrames && sourceFrames > 1)) throw new ValidationError(`augmentation of ${source.video}: its frame count is unknown (got ${sourceFrames})`, { path: source.video });
  const frames = Math.min(factor * (sourceFrames - 1) + 1, MAX_INTERPOLATED_FRAMES);
  const rate = fps * factor;
  // frames, not seconds: the container's rate may differ from the sequence's (PETS09: 10 vs 7 fps)
  const filter = `setpts=N/(${fps}*TB),minterpolate=fps=${rate}:mi_mode=mci:mc_mode=aobmc:me_mode=bidir`;
  await runFfmpeg(['-v', 'error', '-i', source.video, '-vf', filter, '-frames:v', String(frames), ...ENCODE, join(dir, 'video.mp4')]);
  const written = (await probeSource(join(dir, 'video.mp4'))).frameCount ?? frames;
  if (source.gt !== undefined) writeFileSync(join(dir, 'gt.txt'), interpolateMot(readFileSync(source.gt, 'utf8'), factor, written));
  writeSeqInfo(dir, source, { name, frameRate: String(rate), seqLength: String(written) });
}

/** The sequence's frame rate: its seqinfo.ini's `frameRate` when it has one, else the container's. */
function sequenceFps(source: { readonly gt?: string }, containerFps: number): number {
  const rate = Number(source.gt !== undefined ? findSeqInfo(source.gt)?.info.frameRate : undefined);
  return rate > 0 ? rate : containerFps;
}

/** The source's seqinfo.ini (when its ground truth has one) with `fields` replaced, written into `dir`. */
function writeSeqInfo(dir: string, source: { readonly gt?: string }, fields: Record<string, string>): void {
  const info = (source.gt !== undefined ? findSeqInfo(source.gt)?.info : undefined) ?? {};
  const ini = { ...info, ...fields };
  writeFileSync(join(dir, 'seqinfo.ini'), `[Sequence]\n${Object.entries(ini).map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
}

/**
 * Keeps the MOT rows of frames 1, 1 + step, 1 + 2·step, … (1-based) and renumbers them 1, 2, 3, …;
 * other columns are kept as written.
 */
export function stepMot(text: string, step: number): string {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const c = line.split(',');
    const f = Number(c[0]) - 1;
    if (f % step !== 0) continue;
    out.push([String(f / step + 1), ...c.slice(1)].join(','));
  }
  return `${out.join('\n')}\n`;
}

/**
 * The MOT rows of a sequence filmed at `factor` times the frame rate: source frame i (1-based) becomes
 * frame factor·(i−1)+1, and each frame between two source frames gets the boxes of the tracks present
 * in both, interpolated linearly (other columns from the earlier row). Frames above `frames` are
 * dropped.
 */
export function interpolateMot(text: string, factor: number, frames: number): string {
  if (!(Number.isInteger(factor) && factor >= 1)) throw new ValidationError(`interpolateMot: factor must be an integer ≥ 1, got ${factor}`, { field: 'factor' });
  const byFrame = new Map<number, Map<string, string[]>>();
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const c = line.split(',');
    const f = Number(c[0]);
    let rows = byFrame.get(f);
    if (!rows) byFrame.set(f, (rows = new Map()));
    rows.set(c[1], c);
  }
  const r = (v: number): string => String(Math.round(v * 100) / 100);
  const out: string[] = [];
  for (const f of [...byFrame.keys()].sort((a, b) => a - b)) {
    const rows = byFrame.get(f)!;
    const next = byFrame.get(f + 1);
    for (let k = 0; k < factor; k++) {
      const frame = factor * (f - 1) + 1 + k;
      if (frame > frames) break;
      for (const [id, c] of rows) {
        if (k === 0) { out.push([String(frame), ...c.slice(1)].join(',')); continue; }
        const d = next?.get(id);
        if (!d) continue;
        const t = k / factor;
        const box = [2, 3, 4, 5].map((j) => r(Number(c[j]) * (1 - t) + Number(d[j]) * t));
        out.push([String(frame), id, ...box, ...c.slice(6)].join(','));
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * Maps the boxes of MOT rows by x' = sx·x + bx, y' = sy·y + by; with `clip`, clips them to the frame
 * and drops rows keeping less than half their area. Other columns are kept as written.
 */
export function transformMot(text: string, m: { sx: number; sy: number; bx: number; by: number; clip: { w: number; h: number } | undefined }): string {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const c = line.split(',');
    let x1 = Number(c[2]) * m.sx + m.bx;
    let y1 = Number(c[3]) * m.sy + m.by;
    let x2 = x1 + Number(c[4]) * m.sx;
    let y2 = y1 + Number(c[5]) * m.sy;
    if (m.clip) {
      const area = (x2 - x1) * (y2 - y1);
      x1 = Math.max(0, x1);
      y1 = Math.max(0, y1);
      x2 = Math.min(m.clip.w, x2);
      y2 = Math.min(m.clip.h, y2);
      if (x2 <= x1 || y2 <= y1 || (x2 - x1) * (y2 - y1) < 0.5 * area) continue;
    }
    const r = (v: number): string => String(Math.round(v * 100) / 100);
    out.push([c[0], c[1], r(x1), r(y1), r(x2 - x1), r(y2 - y1), ...c.slice(6)].join(','));
  }
  return `${out.join('\n')}\n`;
}

/**
 * The ffmpeg of `@ffmpeg-installer/ffmpeg` (its version is pinned by the lock file), so that the augmented
 * videos — and the policy trained on them — are the same bytes on every machine; the usual resolution
 * ({@link ffmpegPath}) when that package's binary is missing.
 */
function pinnedFfmpeg(): string {
  try {
    const p = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path?: string }).path;
    if (p && existsSync(p)) return p;
  } catch {
    // fall through
  }
  return ffmpegPath();
}

function runFfmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(pinnedFfmpeg(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg ${basename(args[3] ?? '')}: exit ${code}: ${err.trim().slice(-400)}`))));
  });
}
