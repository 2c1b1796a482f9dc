import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../..', import.meta.url));

/**
 * sha256 (16 hex digits) of the source files under `paths` (relative to src/: files or folders, walked
 * in sorted order): the code a cache's content depends on, so that changing it invalidates the cache.
 */
export function sourceDigest(paths: readonly string[]): string {
  const h = createHash('sha256');
  const add = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const n of readdirSync(p).sort()) add(join(p, n));
    } else if (/\.(ts|mts|mjs|js)$/.test(p)) {
      h.update(p.slice(SRC.length)).update(readFileSync(p));
    }
  };
  for (const p of paths) add(join(SRC, p));
  return h.digest('hex').slice(0, 16);
}
