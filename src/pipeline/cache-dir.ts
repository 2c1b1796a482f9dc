import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Environment variable that moves edgetrack's cache (oracle detections). */
export const CACHE_DIR_ENV = 'EDGETRACK_CACHE_DIR';

/** `$EDGETRACK_CACHE_DIR/<sub>` or `~/.cache/edgetrack/<sub>`, created if missing. */
export function cacheDir(sub: string): string {
  const dir = join(process.env[CACHE_DIR_ENV] || join(homedir(), '.cache', 'edgetrack'), sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}
