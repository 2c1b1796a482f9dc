import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lastValueFrom, mergeMap, tap } from 'rxjs';
import { type Detection, makeBox } from '../core/index.js';
import { Detector } from '../detector/index.js';
import { openSource } from '../video/index.js';
import { cacheDir, writeFileAtomic } from './cache-dir.js';

/** Options of {@link oracleDetections}. */
export interface OracleDetectionOptions {
  /** Detector model (default `nanodet`). */
  readonly model?: string;
  /** Frames to cover: 0..frames−1 (default: the whole input). */
  readonly frames?: number;
  readonly threads?: number;
  /** Called after every frame with the number of frames done. */
  readonly onProgress?: (done: number) => void;
}

/** Score floor of cached oracle detections; eval's `oracleGroundTruth` thresholds higher. */
const CACHE_MIN_SCORE = 0.3;

interface CachedOracle {
  readonly version: 1;
  readonly frames: Record<string, [number, number, number, number, number, number][]>;
}

/**
 * The detector run on every frame of `input` at full quality (raw frames, no JPEG), detections with
 * score ≥ 0.3, keyed by 0-based frame. Turn it into ground truth with eval's `oracleGroundTruth`.
 * Cached on disk (`~/.cache/edgetrack/oracle`, keyed by the input's path, size and mtime, the model and
 * the frame count), so it is computed once per input.
 */
export async function oracleDetections(input: string, options: OracleDetectionOptions = {}): Promise<Map<number, Detection[]>> {
  const o = { model: 'nanodet', threads: 2, ...options };
  const file = oracleCacheFile(input, o);
  if (existsSync(file)) {
    try {
      return fromCache(JSON.parse(readFileSync(file, 'utf8')) as CachedOracle);
    } catch {
      // unreadable cache entry: recompute below
    }
  }
  const detector = await Detector.create({ model: o.model, threads: o.threads, scoreThreshold: CACHE_MIN_SCORE });
  const cached: CachedOracle = { version: 1, frames: {} };
  let done = 0;
  try {
    const source = openSource(input, o.frames !== undefined ? { endFrame: o.frames } : {});
    await lastValueFrom(
      source.frames$.pipe(
        mergeMap(async (frame) => {
          const r = await detector.detect(frame);
          cached.frames[frame.index] = r.detections.map((d) => [d.box.x1, d.box.y1, d.box.x2, d.box.y2, d.score, d.classId]);
        }, 1),
        tap(() => o.onProgress?.(++done)),
      ),
      { defaultValue: undefined },
    );
  } finally {
    await detector.close();
  }
  writeFileAtomic(file, JSON.stringify(cached));
  return fromCache(cached);
}

/** The cache file of the oracle of `input` (model, frames as in {@link oracleDetections}). */
function oracleCacheFile(input: string, options: { model?: string; frames?: number }): string {
  const st = statSync(input);
  const key = createHash('sha256')
    .update(JSON.stringify([resolve(input), st.size, st.mtimeMs, options.model ?? 'nanodet', CACHE_MIN_SCORE, options.frames ?? 'all', 1]))
    .digest('hex')
    .slice(0, 24);
  return join(cacheDir('oracle'), `${key}.json`);
}

/** True when the oracle of `input` is already cached (so {@link oracleDetections} only reads it). */
export function isOracleCached(input: string, options: { model?: string; frames?: number } = {}): boolean {
  try {
    return existsSync(oracleCacheFile(input, options));
  } catch {
    return false;
  }
}

function fromCache(c: CachedOracle): Map<number, Detection[]> {
  const out = new Map<number, Detection[]>();
  for (const [f, boxes] of Object.entries(c.frames)) {
    out.set(Number(f), boxes.map(([x1, y1, x2, y2, score, classId]) => Object.freeze({ box: makeBox(x1, y1, x2, y2), score, classId })));
  }
  return out;
}
