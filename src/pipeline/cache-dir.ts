import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** Environment variable that moves edgetrack's cache (oracle detections). */
export const CACHE_DIR_ENV = 'EDGETRACK_CACHE_DIR';

/** `$EDGETRACK_CACHE_DIR/<sub>` or `~/.cache/edgetrack/<sub>`, created if missing. */
export function cacheDir(sub: string): string {
  const dir = join(process.env[CACHE_DIR_ENV] || join(homedir(), '.cache', 'edgetrack'), sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Writes a cache entry so that no reader sees it half-written: the data go to a temporary file beside
 * `file`, which is then renamed onto it. The temporary name is unique per process, worker thread and
 * call, so concurrent writers of the same entry (e.g. rollout workers of one training run computing a
 * cache that was not prepared) never rename each other's file away; the last rename wins, and every
 * writer writes the same bytes.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
