/**
 * The tracker's frame-pair motions of a whole video, computed once and kept on disk, so the simulator
 * can drive the tracker's pure track logic ({@link TrackerCore}) without pixels or OpenCV. Covers every
 * pair (i − g, i) with g = 1..{@link MAX_GAP}: the gaps replay tracking (1) and `stride:3` Katch-Up
 * (≤ 3) use. Keyed by the video's content hash, the tracker options and the source of the motion code,
 * so a tracker change invalidates it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, writeFileAtomic } from '../../pipeline/cache-dir.js';
import { offlineFrames } from '../../pipeline/offline-frames.js';
import {
  type FrameFeatures, type FrameMotion, type TrackerOptions, GrayConverter, decodeFrameMotion, encodeFrameMotion, estimateMotion, frameFeatures,
  loadOpenCv, processingGeometry, resolveTrackerOptions,
} from '../../tracker/index.js';
import { fileContentHash } from './offload-cache.js';
import { sourceDigest } from './source-digest.js';

/** Largest frame gap cached (stride:3 Katch-Up needs pairs up to 3 frames apart). */
export const MAX_GAP = 3;
const CACHE_VERSION = 1;
/** Source files whose code decides the motion bytes: a change in any of them invalidates the cache. */
const MOTION_SOURCES = ['tracker/gray.ts', 'tracker/motion-estimator.ts', 'tracker/int16-median.ts', 'tracker/texture-map.ts', 'tracker/flow-quantise.ts', 'tracker/frame-motion.ts', 'tracker/options.ts'];

/** The tracker options the motion bytes depend on (geometry and flow); the cache is keyed by these only. */
export const MOTION_OPTION_KEYS = Object.freeze(['processingScale', 'maxSide', 'flowLevels', 'flowWinSize', 'flowIterations', 'minTexture'] as const);

/** Every cached motion of one video. */
export interface MotionCache {
  readonly frames: number;
  /** Processing image bytes per frame (what the tracker's frame buffer accounts). */
  readonly frameBytes: number;
  /** The motion from frame `from` to frame `to` (to − from ≤ MAX_GAP), or undefined. */
  motion(from: number, to: number): FrameMotion | undefined;
}

/** Options of {@link loadMotionCache}. */
export interface MotionCacheOptions {
  /** Tracker options; only {@link MOTION_OPTION_KEYS} matter (the others leave the motions unchanged). */
  readonly tracker?: Partial<TrackerOptions>;
  readonly maxFrames?: number;
  readonly onProgress?: (done: number, total: number | undefined, what: string) => void;
}

/** Loads (or computes and stores) the motion cache of `video`. */
export async function loadMotionCache(video: string, options: MotionCacheOptions = {}): Promise<MotionCache> {
  const tracker = resolveTrackerOptions(options.tracker ?? {});
  const key = createHash('sha256')
    .update(JSON.stringify([CACHE_VERSION, await fileContentHash(video), MOTION_OPTION_KEYS.map((k) => tracker[k]), sourceDigest(MOTION_SOURCES), MAX_GAP, options.maxFrames ?? 'all']))
    .digest('hex').slice(0, 24);
  const file = join(cacheDir('motions'), `${key}.bin`);
  let bytes: Uint8Array | undefined;
  if (existsSync(file)) {
    try {
      bytes = new Uint8Array(readFileSync(file));
      return fromBytes(bytes);
    } catch {
      bytes = undefined; // unreadable entry: recomputed
    }
  }
  bytes = await computeMotions(video, tracker, options);
  writeFileAtomic(file, bytes);
  return fromBytes(bytes);
}

/** Layout: u32 magic, u32 frames, u32 frameBytes, u32 count, then count × (u32 length, encoded motion). */
const MAGIC = 0x4d_43_48_31; // "MCH1"

async function computeMotions(video: string, tracker: TrackerOptions, options: MotionCacheOptions): Promise<Uint8Array> {
  const cv = await loadOpenCv();
  const chunks: Uint8Array[] = [];
  const window: FrameFeatures[] = [];
  let converter: GrayConverter | undefined;
  let frames = 0;
  let frameBytes = 0;
  try {
    for await (const frame of offlineFrames(video, options.maxFrames)()) {
      converter ??= new GrayConverter(cv, processingGeometry(frame.width, frame.height, tracker.processingScale, tracker.maxSide));
      const gray = converter.convert(frame);
      frameBytes = gray.rows * gray.cols * gray.channels();
      const f = frameFeatures(cv, frame.index, gray);
      for (let g = 1; g <= Math.min(MAX_GAP, window.length); g++) {
        const m = estimateMotion(cv, window[window.length - g], f, converter.geometry.scale, tracker);
        chunks.push(encodeFrameMotion(m));
      }
      window.push(f);
      if (window.length > MAX_GAP) window.shift()!.gray.delete();
      frames++;
      options.onProgress?.(frames, undefined, video);
    }
  } finally {
    for (const f of window) f.gray.delete();
    converter?.close();
  }
  const total = 16 + chunks.reduce((a, c) => a + 4 + c.byteLength, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, frames, true);
  dv.setUint32(8, frameBytes, true);
  dv.setUint32(12, chunks.length, true);
  let o = 16;
  for (const c of chunks) {
    dv.setUint32(o, c.byteLength, true);
    out.set(c, o + 4);
    o += 4 + c.byteLength;
  }
  return out;
}

function fromBytes(bytes: Uint8Array): MotionCache {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new Error('motion cache: bad magic');
  const frames = dv.getUint32(4, true);
  const frameBytes = dv.getUint32(8, true);
  const count = dv.getUint32(12, true);
  const byPair = new Map<number, FrameMotion>();
  let o = 16;
  for (let i = 0; i < count; i++) {
    const len = dv.getUint32(o, true);
    const m = decodeFrameMotion(bytes.subarray(o + 4, o + 4 + len));
    byPair.set(m.to * (MAX_GAP + 1) + (m.to - m.from), m);
    o += 4 + len;
  }
  return {
    frames,
    frameBytes,
    motion: (from, to) => (to - from >= 1 && to - from <= MAX_GAP ? byPair.get(to * (MAX_GAP + 1) + (to - from)) : undefined),
  };
}
