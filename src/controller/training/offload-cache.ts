/**
 * What an offload of frame i at quality q yields, computed once per video and model and kept on disk:
 * the JPEG's size and the edge's detections. The simulator replays these instead of encoding and
 * detecting, so an episode costs no image work. The detections are produced by the real path —
 * `encodeFrameJpeg` on the device, a real in-process edge server over WebSocket — so they are the
 * detections a replay run receives, bit for bit.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Detection, type QualityLevel, QUALITY_LEVELS, ValidationError, makeBox } from '../../core/index.js';
import { cacheDir, writeFileAtomic } from '../../pipeline/cache-dir.js';
import { encodeFrameJpeg } from '../../pipeline/jpeg-encode.js';
import { startLocalEdge } from '../../pipeline/local-edge.js';
import { offlineFrames } from '../../pipeline/offline-frames.js';
import { EdgeClient, silentLogger } from '../../transport/index.js';
import { probeVideo } from '../../video/index.js';
import { sourceDigest } from './source-digest.js';

/** The code that decides the cached JPEG sizes and detections: a change invalidates the cache. */
const OFFLOAD_SOURCES = ['detector', 'transport/server', 'transport/protocol', 'pipeline/jpeg-encode.ts', 'pipeline/local-edge.ts'];

/** Bump when the cached content or its meaning changes. */
const CACHE_VERSION = 1;

/** One frame offloaded at one quality. Detections are in the encoded JPEG's pixels, as the edge sent them. */
export interface CachedOffload {
  readonly bytes: number;
  readonly width: number;
  readonly height: number;
  readonly detections: readonly Detection[];
}

/** Every frame of a video offloaded at every quality level, plus the video's facts. */
export interface OffloadCache {
  readonly video: string;
  /** sha256 of the video file's bytes (first 16 hex digits). */
  readonly contentHash: string;
  readonly model: string;
  readonly frames: number;
  readonly fps: number;
  readonly width: number;
  readonly height: number;
  /** `byQuality[qualityName][frameIndex]`. */
  readonly byQuality: Readonly<Record<string, readonly CachedOffload[]>>;
}

/** Options of {@link loadOffloadCache}. */
export interface OffloadCacheOptions {
  /** Edge model (default `nanodet`). */
  readonly model?: string;
  /** Frames 0..maxFrames−1 only (default: the whole video). */
  readonly maxFrames?: number;
  /** Quality levels to cover (default every level). */
  readonly qualities?: readonly QualityLevel[];
  /** Called after each frame × quality with (done, total). */
  readonly onProgress?: (done: number, total: number, what: string) => void;
}

type Row = [bytes: number, width: number, height: number, dets: number[]];

/** sha256 of a file's bytes, first 16 hex digits. */
export async function fileContentHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 16);
}

/**
 * The offload cache of `video` for `model`: loaded from `~/.cache/edgetrack/offloads` when present
 * (keyed by the video's content hash, the model, the quality level, the edge's source code and the
 * cache version), else
 * computed (every frame encoded at each missing quality and detected by a real in-process edge) and
 * stored. Throws a ValidationError naming the file when the video cannot be read.
 */
export async function loadOffloadCache(video: string, options: OffloadCacheOptions = {}): Promise<OffloadCache> {
  if (!existsSync(video) || !statSync(video).isFile()) throw new ValidationError(`video: ${video}: no such file`, { field: 'video', path: video });
  const model = options.model ?? 'nanodet';
  const qualities = options.qualities ?? QUALITY_LEVELS;
  const info = await probeVideo(video);
  const contentHash = await fileContentHash(video);
  const fileOf = (q: QualityLevel): string => {
    const key = createHash('sha256').update(JSON.stringify([CACHE_VERSION, sourceDigest(OFFLOAD_SOURCES), contentHash, model, q.name, q.maxSide, q.jpegQuality, ...(options.maxFrames !== undefined ? [options.maxFrames] : [])])).digest('hex').slice(0, 24);
    return join(cacheDir('offloads'), `${key}.json`);
  };
  const byQuality: Record<string, CachedOffload[]> = {};
  const missing: QualityLevel[] = [];
  for (const q of qualities) {
    const rows = readRows(fileOf(q));
    if (rows) byQuality[q.name] = rows.map(fromRow);
    else missing.push(q);
  }
  let frames = qualities.length ? (byQuality[qualities[0].name]?.length ?? 0) : 0;
  if (missing.length > 0) {
    const expected = options.maxFrames !== undefined ? Math.min(options.maxFrames, info.frameCount ?? options.maxFrames) : info.frameCount;
    const computed = await computeOffloads(video, model, missing, expected, options.maxFrames, options.onProgress);
    for (const q of missing) {
      const rows = computed.get(q.name)!;
      writeFileAtomic(fileOf(q), JSON.stringify({ version: CACHE_VERSION, video, model, quality: q.name, rows }));
      byQuality[q.name] = rows.map(fromRow);
    }
    frames = computed.get(missing[0].name)!.length;
  }
  for (const q of qualities) {
    if (byQuality[q.name].length !== frames) {
      throw new ValidationError(`offload cache of ${video}: quality ${q.name} covers ${byQuality[q.name].length} frames, expected ${frames}`, { path: video });
    }
  }
  return { video, contentHash, model, frames, fps: info.fps, width: info.width, height: info.height, byQuality };
}

async function computeOffloads(
  video: string, model: string, qualities: readonly QualityLevel[], expectedFrames: number | undefined, maxFrames: number | undefined,
  onProgress?: OffloadCacheOptions['onProgress'],
): Promise<Map<string, Row[]>> {
  const edge = await startLocalEdge(model);
  const client = new EdgeClient({ url: edge.url, token: edge.token, name: 'edgetrack-offload-cache', maxInFlight: 4, requestTimeoutMs: 120_000, logger: silentLogger }).start();
  const out = new Map<string, Row[]>(qualities.map((q) => [q.name, []]));
  try {
    await client.ready(10_000);
    const total = (expectedFrames ?? 0) * qualities.length;
    let done = 0;
    for await (const frame of offlineFrames(video, maxFrames)()) {
      // all qualities of one frame in flight together: the edge serves them one after another
      const answers = await Promise.all(qualities.map(async (q) => {
        const enc = await encodeFrameJpeg(frame, q);
        const r = await client.detect(enc.jpeg, { frameIndex: frame.index, captureMs: 0 });
        return toRow(enc.jpeg.byteLength, enc.width, enc.height, r.detections);
      }));
      qualities.forEach((q, i) => out.get(q.name)!.push(answers[i]));
      done += qualities.length;
      onProgress?.(done, Math.max(total, done), video);
    }
  } finally {
    await client.close();
    await edge.server.close();
  }
  return out;
}

function toRow(bytes: number, width: number, height: number, dets: readonly Detection[]): Row {
  const flat: number[] = [];
  for (const d of dets) flat.push(d.box.x1, d.box.y1, d.box.x2, d.box.y2, d.score, d.classId);
  return [bytes, width, height, flat];
}

function fromRow(r: Row): CachedOffload {
  const [bytes, width, height, flat] = r;
  const detections: Detection[] = [];
  for (let i = 0; i + 5 < flat.length; i += 6) {
    detections.push(Object.freeze({ box: makeBox(flat[i], flat[i + 1], flat[i + 2], flat[i + 3]), score: flat[i + 4], classId: flat[i + 5] }));
  }
  return Object.freeze({ bytes, width, height, detections: Object.freeze(detections) });
}

function readRows(file: string): Row[] | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { version?: number; rows?: Row[] };
    return parsed.version === CACHE_VERSION && Array.isArray(parsed.rows) ? parsed.rows : undefined;
  } catch {
    return undefined; // unreadable entry: recomputed
  }
}

