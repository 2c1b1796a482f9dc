import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { VideoError } from './errors.js';

/** Which binary: the decoder/encoder or the prober. */
export type FfTool = 'ffmpeg' | 'ffprobe';

/** Where a resolved binary came from, in lookup order. */
export type FfPathOrigin = 'env' | 'path' | 'npm';

/** A resolved ffmpeg/ffprobe binary. */
export interface FfPath {
  readonly tool: FfTool;
  readonly path: string;
  readonly origin: FfPathOrigin;
}

const ENV: Record<FfTool, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };
const NPM: Record<FfTool, string> = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' };
const cache = new Map<FfTool, FfPath>();

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function fromNpm(tool: FfTool): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const mod = require(NPM[tool]) as { path?: string };
    return mod.path && isExecutable(mod.path) ? mod.path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves the ffmpeg or ffprobe binary: `$FFMPEG_PATH`/`$FFPROBE_PATH` first (must be executable,
 * otherwise an error — a set variable is never silently ignored), then the binary on `$PATH`, then the
 * one shipped by `@ffmpeg-installer/ffmpeg` / `@ffprobe-installer/ffprobe`. The answer is cached per
 * process; {@link clearFfPathCache} forgets it.
 * @throws VideoError `FFMPEG_NOT_FOUND` when none is found.
 */
export function resolveFfPath(tool: FfTool): FfPath {
  const cached = cache.get(tool);
  if (cached) return cached;
  let found: FfPath | undefined;
  const env = process.env[ENV[tool]];
  if (env) {
    if (!isExecutable(env)) {
      throw new VideoError('FFMPEG_NOT_FOUND', `${ENV[tool]}: expected an executable file, got ${JSON.stringify(env)}`, { path: env });
    }
    found = { tool, path: env, origin: 'env' };
  } else {
    const sys = onPath(tool);
    if (sys) found = { tool, path: sys, origin: 'path' };
    else {
      const npm = fromNpm(tool);
      if (npm) found = { tool, path: npm, origin: 'npm' };
    }
  }
  if (!found) {
    throw new VideoError(
      'FFMPEG_NOT_FOUND',
      `${tool} not found: set ${ENV[tool]}, put ${tool} on PATH, or install ${NPM[tool]}`,
    );
  }
  cache.set(tool, Object.freeze(found));
  return found;
}

/** Path of the ffmpeg binary (see {@link resolveFfPath}). */
export const ffmpegPath = (): string => resolveFfPath('ffmpeg').path;
/** Path of the ffprobe binary (see {@link resolveFfPath}). */
export const ffprobePath = (): string => resolveFfPath('ffprobe').path;

/** Forgets cached binary locations (for tests that change the environment). */
export function clearFfPathCache(): void {
  cache.clear();
}
