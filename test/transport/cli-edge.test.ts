import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EdgeClient } from '../../src/transport/client/index.js';
import { tinyJpeg } from './support/detector.js';
import { startDetectLoop } from './support/detect-loop.js';
import { spawnEdgeProcess } from '../support/spawn-edge.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];

/** Starts `edgetrack edge` in a child process; resolves once it prints the URL. */
const startEdge = (args: string[], env: Record<string, string> = {}) =>
  spawnEdgeProcess([...args, '--log-level', 'warn'], children, env);

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
    const loop = startDetectLoop(client, jpeg, 20);
    const { outcomes } = loop;
    const waitOk = async (n: number) => {
      const start = Date.now();
      while (loop.okCount() < n) {
        if (Date.now() - start > 60_000) throw new Error(`only ${loop.okCount()} answers`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await waitOk(3);
    first.child.kill('SIGKILL');
    await first.exit;
    const okBefore = loop.okCount();
    const second = await startEdge(['--port', String(first.port), '--model', 'nanodet', '--token', 'tok']);
    await waitOk(okBefore + 3);
    expect(client.counters().connects).toBe(2);
    // the request in flight when the edge died was failed, never replayed
    expect(outcomes.every((o) => o === 'ok' || o === 'disconnected')).toBe(true);
    expect(outcomes).toContain('disconnected');

    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    expect(second.stdout()).toContain('edgetrack edge: stopped');
    await loop.stop();
    expect(outcomes.every((o) => ['ok', 'disconnected', 'shutting_down'].includes(o))).toBe(true);
    await client.close();
  }, 180_000);

  it('bad flags exit with code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'edge', '--port', 'abc'], { cwd: ROOT, stdio: 'ignore' });
    children.push(child);
    expect(await new Promise((r) => child.on('exit', r))).toBe(2);
  }, 30_000);

  it('the hostile-client flags are validated before any model loads', async () => {
    const run = async (args: string[]) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'edge', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      children.push(child);
      let err = '';
      child.stderr!.on('data', (d) => (err += d));
      const code = await new Promise((r) => child.on('exit', r));
      return { code, err };
    };
    const perIp = await run(['--max-clients', '5', '--max-clients-per-ip', '10']);
    expect(perIp.code).toBe(2);
    expect(perIp.err).toContain('--max-clients-per-ip: expected ≤ --max-clients (5), got 10');
    const statusHost = await run(['--status-host', '10.0.0.1']);
    expect(statusHost.code).toBe(2);
    expect(statusHost.err).toContain('--status-host: needs --status-port');
    expect((await run(['--rate-limit', '0'])).code).toBe(2);
  }, 30_000);
});
