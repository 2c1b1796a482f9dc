import { open, readFile, rm, stat } from 'node:fs/promises';
import { ValidationError } from '../../core/index.js';

/**
 * Inter-process lock on a file created with O_EXCL: concurrent model preparations (parallel test
 * workers, two CLI runs) wait for each other instead of corrupting the cache. A lock whose owner
 * process is gone, or that is older than `staleMs`, is broken.
 */

/** Options for {@link withFileLock}. */
export interface LockOptions {
  /** Give up after this long (ms). Default 600000. */
  readonly timeoutMs?: number;
  /** A lock older than this is considered abandoned (ms). Default 900000. */
  readonly staleMs?: number;
  /** Called once when we have to wait for another process. */
  readonly onWait?: (ownerPid: number) => void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryBreakStale(path: string, staleMs: number): Promise<number> {
  try {
    const [text, st] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const pid = Number(text.split('\n')[0]);
    if ((Number.isInteger(pid) && pid > 0 && !alive(pid)) || Date.now() - st.mtimeMs > staleMs) {
      await rm(path, { force: true });
      return 0;
    }
    return pid;
  } catch {
    return 0;
  }
}

/** Runs `fn` while holding the lock file `path`; always releases it. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const staleMs = options.staleMs ?? 900_000;
  const start = Date.now();
  let warned = false;
  for (;;) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(`${process.pid}\n${new Date().toISOString()}\n`);
      await fh.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = await tryBreakStale(path, staleMs);
      if (owner === 0) continue;
      if (!warned) {
        options.onWait?.(owner);
        warned = true;
      }
      if (Date.now() - start > timeoutMs) {
        throw new ValidationError(`lock ${path}: still held by process ${owner} after ${timeoutMs} ms; delete the file if that process is gone`, { path, owner });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
