import { afterAll, beforeAll } from 'vitest';
import { type ChildProcess, spawn } from 'node:child_process';
import { type EdgeProcess, spawnEdgeProcess } from '../support/spawn-edge.js';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The committed sample clip (PETS09-S2L1, first 300 frames, 768x576, 10 fps). */
export const SAMPLE_CLIP = join(ROOT, 'videos/pets09-s2l1-300.mp4');
/** `../shared` next to the repository (absent on CI machines). */
export const SHARED = fileURLToPath(new URL('../../../shared', import.meta.url));

/** A fresh temporary folder; remove it with {@link removeTempDirs}. */
const temps: string[] = [];
export function tempDir(prefix = 'edgetrack-pipeline-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}
/** Removes every folder made by {@link tempDir}. */
export function removeTempDirs(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** One parsed line of frames.jsonl (the fields the tests look at). */
export interface JsonRow {
  frameIndex: number;
  dropped: boolean;
  decision: string;
  bytes: number;
  clockMs: number;
  tracks: { id: number; state: string }[];
  applied: { frameIndex: number; status: 'ok' | 'failed'; code?: string }[];
  context: { frameIndex: number; trackCount: number; detectionAgeFrames: number };
}

/** Reads frames.jsonl of a run folder. */
export function readRows(path: string): JsonRow[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as JsonRow);
}

/** A separately started `edgetrack edge` process (see test/support/spawn-edge.ts). */
export type { EdgeProcess } from '../support/spawn-edge.js';

/** Spawns `edgetrack edge --port 0 --host 127.0.0.1 --model nanodet --token <token>`; the caller kills it. */
export function spawnEdge(token: string, children: ChildProcess[]): Promise<EdgeProcess> {
  return spawnEdgeProcess(['--port', '0', '--host', '127.0.0.1', '--model', 'nanodet', '--token', token, '--log-level', 'warn'], children);
}

/** SIGKILLs every child still running and waits for them to exit. */
export async function killAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.splice(0).map((c) => new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  })));
}

/** True when process `pid` is alive. */
export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Result of running the CLI. */
export interface CliResult {
  code: number | null;
  /** The signal that killed the child, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/edgetrack.js ...args` (extra environment in `env`) and collects its output.
 * `onStderr` sees the stderr collected so far after every chunk (e.g. to signal the child at some point).
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 120_000,
  onStderr?: (stderr: string, child: ChildProcess) => void,
): Promise<CliResult> {
  const child = spawn(process.execPath, ['bin/edgetrack.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EDGETRACK_TOKEN: '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    onStderr?.(stderr, child);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`edgetrack ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    // 'close', not 'exit': the output is complete only once the child's stdio has closed
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** pids of the children of `parent` whose command name is `name` (from /proc). */
export function childrenNamed(parent: number, name: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.includes(`(${name})`) && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
    } catch {
      return false; // exited meanwhile
    }
  });
}

/** pids of this process's ffmpeg children. */
export const ffmpegChildren = (): number[] => childrenNamed(process.pid, 'ffmpeg');

/**
 * Registers beforeAll/afterAll for a test file: edgetrack's cache (oracle, offload and motion caches)
 * goes to a fresh temporary folder while the file runs, so the user's ~/.cache is neither read nor
 * written; the previous setting is restored and the temporary folders removed afterwards.
 */
export function useTempCacheDir(): void {
  const saved = process.env.EDGETRACK_CACHE_DIR;
  beforeAll(() => {
    process.env.EDGETRACK_CACHE_DIR = tempDir('edgetrack-cache-');
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.EDGETRACK_CACHE_DIR;
    else process.env.EDGETRACK_CACHE_DIR = saved;
    removeTempDirs();
  });
}
