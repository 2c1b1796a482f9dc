import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A separately started `edgetrack edge` process. */
export interface EdgeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  readonly exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

/**
 * Spawns `node bin/edgetrack.js edge <args>` (the real CLI entry) and resolves once it prints
 * `listening on ws://127.0.0.1:<port>`; rejects with its stderr when it exits first or takes over 60 s.
 * The child is pushed to `children` so the caller can kill it (e.g. with SIGKILL in afterEach).
 */
export function spawnEdgeProcess(args: readonly string[], children: ChildProcess[], env: Record<string, string> = {}): Promise<EdgeProcess> {
  const child = spawn(process.execPath, ['bin/edgetrack.js', 'edge', ...args], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EDGETRACK_TOKEN: '', ...env },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`edge did not start within 60 s; stderr: ${err}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (ws:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], port: Number(m[2]), exit, stdout: () => out, stderr: () => err });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`edge exited with ${code} before listening; stderr: ${err}`));
    });
  });
}
