import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANNEL_PRESET_NAMES } from '../transport/index.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));
let codeHash: string | undefined;

/**
 * A hash of edgetrack's code: every file under `src/` (contents). A run cached by an older code is
 * run again.
 */
export function codeVersion(): string {
  if (codeHash) return codeHash;
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mts|mjs|js|json)$/.test(name)) h.update(name).update(readFileSync(p));
    }
  };
  walk(SRC);
  codeHash = h.digest('hex').slice(0, 16);
  return codeHash;
}

/** Identity of an input file or folder for the cache: resolved path, size and mtime (folders: every entry). */
export function fingerprint(path: string): string {
  const st = statSync(path);
  if (!st.isDirectory()) return `${resolve(path)}:${st.size}:${st.mtimeMs}`;
  const entries = readdirSync(path).sort().map((n) => {
    const s = statSync(join(path, n));
    return `${n}:${s.size}:${s.mtimeMs}`;
  });
  return `${resolve(path)}/${createHash('sha256').update(entries.join('\n')).digest('hex')}`;
}

/** What makes a run's result: the (sequence, trace, policy, code) and every option that changes it. */
export interface RunCacheParts {
  readonly input: string;
  readonly gt?: string;
  readonly trace: string;
  readonly policy: string;
  readonly [option: string]: unknown;
}

/** The cache key of a run: sha256 over the inputs' fingerprints, the trace (contents for files), the options and {@link codeVersion}. */
export function runCacheKey(parts: RunCacheParts): string {
  const trace = CHANNEL_PRESET_NAMES.includes(parts.trace) ? `preset:${parts.trace}` : createHash('sha256').update(readFileSync(parts.trace)).digest('hex');
  const { input, gt, trace: _t, ...rest } = parts;
  return createHash('sha256').update(JSON.stringify([
    fingerprint(input), gt ? fingerprint(gt) : null, trace, Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)), codeVersion(),
  ])).digest('hex');
}

const KEY_FILE = 'cache-key.txt';

/** The report.json of a finished run in `dir` when it was made with the same key, else undefined. */
export function readCachedRun<T>(dir: string, key: string): T | undefined {
  const keyFile = join(dir, KEY_FILE);
  const report = join(dir, 'report.json');
  if (!existsSync(keyFile) || !existsSync(report)) return undefined;
  if (readFileSync(keyFile, 'utf8').trim() !== key) return undefined;
  try {
    return JSON.parse(readFileSync(report, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Marks the run in `dir` as made with `key` (after report.json is written). */
export function writeCacheKey(dir: string, key: string): void {
  writeFileSync(join(dir, KEY_FILE), `${key}\n`);
}
