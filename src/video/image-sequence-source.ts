import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Observable } from 'rxjs';
import sharp, { type Metadata } from 'sharp';
import { type Frame, makeFrame, requireFinite, requireInteger, ValidationError } from '../core/index.js';
import { VideoError } from './errors.js';
import { framesObservable } from './pull-observable.js';
import { outputSize, type ResizeOptions } from './frame-size.js';

/** Options of {@link imageSequenceSource} / {@link imageSequenceFrames}. */
export interface ImageSequenceOptions extends ResizeOptions {
  /** First frame index to emit (0-based, index = file number − first file number). Default 0. */
  readonly startFrame?: number;
  /** Frame index to stop before (exclusive). Default: after the last file. */
  readonly endFrame?: number;
  /** Emit every n-th index from `startFrame`. Default 1. */
  readonly everyNth?: number;
  /** Frame rate for ptsMs; default: `frameRate` of a MOTChallenge `seqinfo.ini`, else 25. */
  readonly fps?: number;
}

/** A resolved image sequence. */
export interface ImageSequenceInfo {
  /** Folder holding the images (e.g. `…/PETS09-S2L1/img1`). */
  readonly dir: string;
  /** Image files in frame order with their 0-based frame index. */
  readonly files: readonly { readonly index: number; readonly path: string }[];
  /** Size of the first image. */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** Output size (after resize). */
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Where fps came from. */
  readonly fpsFrom: 'option' | 'seqinfo.ini' | 'default';
  /** Number of frames that will be emitted with these options. */
  readonly frameCount: number;
}

const IMAGE = /^(.*?)(\d+)\.(jpe?g|png|bmp|webp|tiff?)$/i;

function readSeqinfoFps(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const m = /^\s*frameRate\s*=\s*([\d.]+)/im.exec(readFileSync(file, 'utf8'));
  const fps = m ? Number(m[1]) : NaN;
  return fps > 0 ? fps : undefined;
}

/**
 * Lists a folder of numbered images (`000001.jpg`, `frame_12.png`, …). A MOTChallenge sequence
 * folder (with `img1/` and `seqinfo.ini`) may be given instead of its `img1/`.
 * @throws VideoError `INPUT_NOT_FOUND` when the folder is missing or has no numbered images.
 */
export async function imageSequenceInfo(path: string, options: ImageSequenceOptions = {}): Promise<ImageSequenceInfo> {
  const startFrame = requireInteger(options.startFrame ?? 0, 'imageSequence.startFrame', 0);
  const everyNth = requireInteger(options.everyNth ?? 1, 'imageSequence.everyNth', 1);
  if (options.endFrame !== undefined) requireInteger(options.endFrame, 'imageSequence.endFrame', 0);
  if (options.fps !== undefined && !(requireFinite(options.fps, 'imageSequence.fps') > 0)) {
    throw new ValidationError(`imageSequence.fps: expected a number > 0, got ${options.fps}`, { field: 'imageSequence.fps' });
  }
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new VideoError('INPUT_NOT_FOUND', `image sequence ${path}: not a folder`, { path });
  }
  const dir = existsSync(join(path, 'img1')) && statSync(join(path, 'img1')).isDirectory() ? join(path, 'img1') : path;
  const numbered: { n: number; prefix: string; path: string }[] = [];
  for (const name of readdirSync(dir)) {
    const m = IMAGE.exec(name);
    if (m) numbered.push({ n: Number(m[2]), prefix: m[1].toLowerCase(), path: join(dir, name) });
  }
  if (numbered.length === 0) {
    throw new VideoError('INPUT_NOT_FOUND', `image sequence ${dir}: no numbered JPEG/PNG files (expected e.g. 000001.jpg)`, { path: dir });
  }
  const prefixes = new Set(numbered.map((f) => f.prefix));
  if (prefixes.size > 1) {
    throw new VideoError('INPUT_NOT_FOUND', `image sequence ${dir}: mixed file name prefixes ${[...prefixes].map((p) => JSON.stringify(p)).join(', ')}`, { path: dir });
  }
  numbered.sort((a, b) => a.n - b.n);
  const first = numbered[0].n;
  const files = numbered.map((f) => Object.freeze({ index: f.n - first, path: f.path }));
  let meta: Metadata;
  try {
    meta = await sharp(files[0].path).metadata();
  } catch (err) {
    throw new VideoError('DECODE_FAILED', `image sequence ${dir}: cannot read ${basename(files[0].path)}: ${(err as Error).message}`, { path: files[0].path });
  }
  const sourceWidth = meta.autoOrient?.width ?? meta.width ?? 0;
  const sourceHeight = meta.autoOrient?.height ?? meta.height ?? 0;
  const size = outputSize(sourceWidth, sourceHeight, options, 'imageSequence');
  const seqFps = readSeqinfoFps(join(dir, 'seqinfo.ini')) ?? readSeqinfoFps(join(dirname(dir), 'seqinfo.ini'));
  const fps = options.fps ?? seqFps ?? 25;
  const fpsFrom = options.fps !== undefined ? 'option' : seqFps !== undefined ? 'seqinfo.ini' : 'default';
  const end = options.endFrame ?? Infinity;
  const frameCount = files.filter((f) => f.index >= startFrame && f.index < end && (f.index - startFrame) % everyNth === 0).length;
  return Object.freeze({ dir, files: Object.freeze(files), sourceWidth, sourceHeight, ...size, fps, fpsFrom, frameCount });
}

async function decode(file: string, width: number, height: number, resize: boolean): Promise<Uint8Array> {
  let img = sharp(file).autoOrient().toColourspace('srgb').removeAlpha();
  if (resize) img = img.resize(width, height, { fit: 'fill', kernel: 'linear' });
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height || info.channels !== 3) {
    throw new VideoError('DECODE_FAILED', `image sequence: ${file} is ${info.width}x${info.height}x${info.channels}, expected ${width}x${height}x3 like the first image`, { path: file });
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/**
 * Decodes an image sequence with sharp (one image ahead of the consumer), pull-based. Frame.index is
 * the file number minus the first file's number (MOT `000001.jpg` → index 0), ptsMs = index × 1000 / fps.
 */
export async function* imageSequenceFrames(
  path: string,
  options: ImageSequenceOptions = {},
  signal?: AbortSignal,
): AsyncGenerator<Frame, void, undefined> {
  const info = await imageSequenceInfo(path, options);
  const start = options.startFrame ?? 0;
  const end = options.endFrame ?? Infinity;
  const nth = options.everyNth ?? 1;
  const wanted = info.files.filter((f) => f.index >= start && f.index < end && (f.index - start) % nth === 0);
  const resize = info.width !== info.sourceWidth || info.height !== info.sourceHeight;
  const load = (i: number): Promise<Uint8Array> | undefined => {
    if (i >= wanted.length) return undefined;
    const p = decode(wanted[i].path, info.width, info.height, resize);
    p.catch(() => {}); // observed when awaited; avoid an unhandled rejection if the consumer stops first
    return p;
  };
  let next = load(0);
  for (let i = 0; next && !signal?.aborted; i++) {
    const rgb = await next;
    next = load(i + 1);
    const index = wanted[i].index;
    yield makeFrame(index, (index * 1000) / info.fps, info.width, info.height, rgb);
  }
}

/** An image sequence as a cold Observable of rgb24 frames (see {@link imageSequenceFrames}). */
export function imageSequenceSource(path: string, options: ImageSequenceOptions = {}): Observable<Frame> {
  return framesObservable((signal) => imageSequenceFrames(path, options, signal));
}
