/**
 * Finding 8 of issue 13: ONNX Runtime's telemetry is off by default in every edgetrack process. A
 * detector run in a child process with its own temp and cache directories must leave no
 * `mat-debug-<pid>.log` and no `onnxruntime.db`; the same run with the explicit opt-in
 * (EDGETRACK_ONNX_TELEMETRY=1) does create them — so the check can fail.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./support/run-detector-once.ts', import.meta.url));

/** Every file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

async function runDetector(env: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'edgetrack-telemetry-'));
  try {
    // ONNX Runtime itself writes no telemetry when CI is set (as in .ci/run): drop it, so the opt-in
    // control run can show that the test would see telemetry files
    const { ORT_DISABLE_TELEMETRY: _drop, CI: _ci, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...inherited, TMPDIR: dir, XDG_CACHE_HOME: join(dir, 'cache'), HOME: join(dir, 'home'), ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, err).toBe(0);
    expect(out).toContain('detected 64x48');
    return filesUnder(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ONNX Runtime telemetry (finding 8)', () => {
  it('is off by default: a detector run leaves no mat-debug-*.log and no onnxruntime.db; the opt-in turns it back on', async () => {
    const byDefault = await runDetector({});
    expect(byDefault.filter((f) => /mat-debug-\d+\.log$|onnxruntime\.db$/.test(f))).toEqual([]);
    const optedIn = await runDetector({ EDGETRACK_ONNX_TELEMETRY: '1' });
    expect(optedIn.some((f) => /mat-debug-\d+\.log$/.test(f)), optedIn.join(', ')).toBe(true);
  }, 60_000);
});
