import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EdgeClient, type EdgeRequestError } from '../../src/transport/client/index.js';
import { tinyJpeg } from './support/detector.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];

/** Starts `edgetrack edge` in a child process; resolves with its port once it prints the URL. */
function startEdge(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number; exit: Promise<number | null>; stdout: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'edge', ...args], {
    cwd: ROOT, env: { ...process.env, EDGETRACK_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`edge did not start in 60 s; stderr: ${err}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), exit, stdout: () => out });
      }
    });
    child.on('exit', (code) => reject(new Error(`edge exited with ${code} before listening; stderr: ${err}`)));
  });
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('edgetrack edge (child process)', () => {
  it('token from EDGETRACK_TOKEN; kill -9 mid-run and restart on the same port: the client reconnects and continues; SIGTERM exits 0', async () => {
    const jpeg = await tinyJpeg(5);
    const first = await startEdge(['--port', '0', '--model', 'nanodet'], { EDGETRACK_TOKEN: 'tok' });
    const url = `ws://127.0.0.1:${first.port}`;
    await expect(EdgeClient.connect({ url, token: 'nope' })).rejects.toMatchObject({ code: 'unauthorized' });

    const client = await EdgeClient.connect({ url, token: 'tok', backoff: { initialMs: 50, maxMs: 500, jitter: 0.5 }, requestTimeoutMs: 10_000 });
    const outcomes: string[] = [];
    let stop = false;
    const loop = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          await client.detect(jpeg, { frameIndex: i, captureMs: i });
          outcomes.push('ok');
        } catch (err) {
          outcomes.push((err as EdgeRequestError).code);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    })();
    const waitOk = async (n: number) => {
      const start = Date.now();
      while (outcomes.filter((o) => o === 'ok').length < n) {
        if (Date.now() - start > 60_000) throw new Error(`only ${outcomes.filter((o) => o === 'ok').length} answers`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await waitOk(3);
    first.child.kill('SIGKILL');
    await first.exit;
    const okBefore = outcomes.filter((o) => o === 'ok').length;
    const second = await startEdge(['--port', String(first.port), '--model', 'nanodet', '--token', 'tok']);
    await waitOk(okBefore + 3);
    expect(client.counters().connects).toBe(2);
    // the request in flight when the edge died was failed, never replayed
    expect(outcomes.every((o) => o === 'ok' || o === 'disconnected')).toBe(true);
    expect(outcomes).toContain('disconnected');

    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    expect(second.stdout()).toContain('edgetrack edge: stopped');
    stop = true;
    await loop;
    expect(outcomes.every((o) => ['ok', 'disconnected', 'shutting_down'].includes(o))).toBe(true);
    await client.close();
  }, 180_000);

  it('bad flags exit with code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'edge', '--port', 'abc'], { cwd: ROOT, stdio: 'ignore' });
    children.push(child);
    expect(await new Promise((r) => child.on('exit', r))).toBe(2);
  }, 30_000);
});
