/**
 * The memory and latency numbers of issue 13, measured on a real `edgetrack edge` process (so the
 * test runner's own heap does not pollute the RSS): image bombs, unauthenticated sockets stalled
 * inside big frames, a client that never reads, and a reading flooder next to a well-behaved camera.
 * RSS comes from the server's own `/metrics` (`process_resident_memory_bytes`); every baseline is
 * taken in the same test, just before the attack.
 */
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeClient } from '../../src/transport/client/index.js';
import { spawnEdgeProcess, type EdgeProcess } from '../support/spawn-edge.js';
import { tinyJpeg } from './support/detector.js';
import { camera, cameraWithHealthProbe, median } from './support/camera.js';
import { cheapDetect, closeOf, frame, frameHeader, helloBytes, httpGet, metricValue, rawUpgrade, serverRss, withDeclaredSize } from './support/raw-tcp.js';

const TOKEN = 'secret';
const HELLO_TIMEOUT_MS = 1500;
const HEARTBEAT_MS = 1000;
const MB = 1024 * 1024;
const children: ChildProcess[] = [];
let edge: EdgeProcess;
let jpeg: Uint8Array;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  jpeg = await tinyJpeg(7);
  edge = await spawnEdgeProcess(
    ['--port', '0', '--model', 'nanodet', '--token', TOKEN, '--heartbeat-ms', String(HEARTBEAT_MS), '--hello-timeout-ms', String(HELLO_TIMEOUT_MS),
      '--max-clients', '300', '--max-clients-per-ip', '300', '--log-level', 'error'],
    children,
  );
  const warm = await EdgeClient.connect({ url: edge.url, token: TOKEN });
  for (let i = 0; i < 10; i++) await warm.detect(jpeg, { frameIndex: i, captureMs: 0 });
  await warm.close();
}, 120_000);
afterAll(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    c.kill('SIGKILL');
  }
});

describe('edgetrack edge process under hostile clients', () => {
  it('finding 1: declared-16383² JPEG and PNG bombs are refused in < 50 ms, RSS grows < 50 MB', async () => {
    const client = await EdgeClient.connect({ url: edge.url, token: TOKEN });
    const before = await serverRss(edge.port);
    const png = new Uint8Array(await (await import('sharp')).default(Buffer.alloc(64 * 64 * 3, 80), { raw: { width: 64, height: 64, channels: 3 } }).png().toBuffer());
    const pngBomb = new Uint8Array(png);
    new DataView(pngBomb.buffer).setUint32(16, 16000);
    new DataView(pngBomb.buffer).setUint32(20, 16000);
    const bombs = [withDeclaredSize(jpeg, 16383, 16383), pngBomb];
    const times: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t0 = performance.now();
      await expect(client.detect(bombs[i % 2], { frameIndex: i, captureMs: 0 })).rejects.toMatchObject({ code: 'too_large' });
      times.push(performance.now() - t0);
    }
    const after = await serverRss(edge.port);
    console.log(`[hostile-child] bombs refused in ${times.map((t) => t.toFixed(1)).join(', ')} ms; RSS ${(before / MB).toFixed(0)} → ${(after / MB).toFixed(0)} MB`);
    expect(Math.max(...times)).toBeLessThan(50);
    expect(after - before).toBeLessThan(50 * MB);
    await expect(client.detect(jpeg, { frameIndex: 99, captureMs: 0 })).resolves.toMatchObject({ frameIndex: 99 });
    await client.close();
  }, 30_000);

  it('finding 2: 100 unauthenticated sockets stalled inside 8 MiB frames add < 100 MB and are closed within the hello timeout', async () => {
    const before = await serverRss(edge.port);
    const stalled: { socket: Socket; openedAt: number; closed: Promise<{ code: number; frameAt: number; at: number }> }[] = [];
    for (let i = 0; i < 100; i++) {
      const openedAt = performance.now();
      const { socket, status } = await rawUpgrade(edge.port);
      expect(status).toBe(101);
      const closed = closeOf(socket);
      socket.write(Buffer.concat([frameHeader(8 * MB), Buffer.alloc(60 * 1024, 1)])); // 60 KiB of 8 MiB, then nothing
      stalled.push({ socket, openedAt, closed });
    }
    await sleep(200);
    const during = await serverRss(edge.port);
    // over the pre-hello byte cap: closed at once with 1009
    const { socket: pushy } = await rawUpgrade(edge.port);
    const pushyClosed = closeOf(pushy);
    const t0 = performance.now();
    pushy.write(Buffer.concat([frameHeader(8 * MB), Buffer.alloc(200 * 1024, 1)]));
    const p = await pushyClosed;
    const ends = await Promise.all(stalled.map(async (s) => ({ ...(await s.closed), openedAt: s.openedAt })));
    const lifetimes = ends.map((e) => e.at - e.openedAt);
    const toCloseFrame = ends.map((e) => e.frameAt - e.openedAt);
    console.log(`[hostile-child] 100 stalled sockets: RSS ${(before / MB).toFixed(0)} → ${(during / MB).toFixed(0)} MB; close frame 4003 after ${Math.min(...toCloseFrame).toFixed(0)}..${Math.max(...toCloseFrame).toFixed(0)} ms, TCP closed after ${Math.min(...lifetimes).toFixed(0)}..${Math.max(...lifetimes).toFixed(0)} ms (hello timeout ${HELLO_TIMEOUT_MS}); over-cap socket closed in ${(p.at - t0).toFixed(0)} ms with ${p.code}`);
    expect(during - before).toBeLessThan(100 * MB);
    expect(ends.map((e) => e.code).filter((c) => c !== 4003)).toEqual([]);
    // the server sends 4003 at the hello timeout and cuts the socket 250 ms later; slack for a loaded machine
    expect(Math.max(...toCloseFrame)).toBeLessThan(HELLO_TIMEOUT_MS + 500);
    expect(Math.max(...lifetimes)).toBeLessThan(HELLO_TIMEOUT_MS + 250 + 1000);
    expect(p.code).toBe(1009);
    expect(p.at - t0).toBeLessThan(500);
  }, 30_000);

  it('finding 3: a client that never reads is dropped; RSS grows < 100 MB; a camera next to it is served', async () => {
    const before = await serverRss(edge.port);
    const metricsBefore = (await httpGet(edge.port, '/metrics')).body;
    const { socket } = await rawUpgrade(edge.port);
    socket.pause(); // never reads a byte
    let gone = false;
    socket.once('close', () => (gone = true));
    socket.write(frame(helloBytes(TOKEN)));
    const good = await EdgeClient.connect({ url: edge.url, token: TOKEN, maxInFlight: 16 });
    const cam = camera(good, jpeg, 5, 25);
    const t0 = performance.now();
    let sent = 0;
    let peak = before;
    let droppedAfter = NaN;
    while (performance.now() - t0 < 5000) {
      if (!gone && socket.writableLength < 4 * MB) {
        const burst: Buffer[] = [];
        for (let i = 0; i < 1000; i++) burst.push(frame(cheapDetect(++sent)));
        socket.write(Buffer.concat(burst));
      }
      await sleep(20);
      const m = (await httpGet(edge.port, '/metrics')).body;
      peak = Math.max(peak, metricValue(m, 'process_resident_memory_bytes '));
      const drops = ['heartbeat', 'slow_consumer'].map((r) => metricValue(m, `edgetrack_edge_disconnects_total{reason="${r}"}`) - (metricValue(metricsBefore, `edgetrack_edge_disconnects_total{reason="${r}"}`) || 0));
      if (drops.some((d) => d > 0) && Number.isNaN(droppedAfter)) droppedAfter = performance.now() - t0;
      if (!Number.isNaN(droppedAfter)) break;
    }
    socket.destroy();
    const { served, ms, failures } = await cam;
    console.log(`[hostile-child] never-reading client: ${sent} requests written, dropped after ${droppedAfter.toFixed(0)} ms; RSS ${(before / MB).toFixed(0)} → peak ${(peak / MB).toFixed(0)} MB; camera ${served}/25 served, p50 ${median(ms).toFixed(1)} ms, failures ${failures.join()}`);
    expect(droppedAfter).toBeLessThan(3 * HEARTBEAT_MS + 1000);
    expect(peak - before).toBeLessThan(100 * MB);
    expect(served).toBeGreaterThanOrEqual(20); // not an acceptance number: on a loaded machine latency spikes cost a busy or two
    await good.close();
  }, 30_000);

  it('finding 4: with a reading flooder, a camera at 5 req/s gets ≥ 90 % served at ≤ 2× its idle p50; /healthz < 200 ms', async () => {
    const good = await EdgeClient.connect({ url: edge.url, token: TOKEN, name: 'camera', maxInFlight: 16 });
    /** The camera (10 requests at 5/s) with /healthz probed every 200 ms meanwhile. */
    const phase = () => cameraWithHealthProbe(good, jpeg, 5, 10, edge.port, 200);
    /** A fresh reading flooder: 42-byte requests as fast as the server takes them. */
    const startFlooder = async () => {
      const ws = new WebSocket(edge.url);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      let answers = 0;
      let sent = 0;
      let on = true;
      ws.on('message', () => answers++);
      ws.send(helloBytes(TOKEN, 'flooder'));
      await sleep(50);
      const loop = (async () => {
        // TCP backpressure paces it; yielding keeps this process's own camera client responsive
        while (on) {
          if (ws.bufferedAmount < 256 * 1024) for (let i = 0; i < 2000; i++) ws.send(cheapDetect(++sent));
          await sleep(1);
        }
      })();
      await sleep(200);
      return async () => {
        on = false;
        await loop;
        ws.terminate();
        return { sent, answers };
      };
    };
    // idle and flooded phases interleaved, so drifting machine load hits both alike
    const idle = { ms: [] as number[], served: 0, health: [] as number[] };
    const flooded = { ms: [] as number[], served: 0, health: [] as number[], failures: [] as string[], sent: 0, answers: 0 };
    for (let round = 0; round < 3; round++) {
      const i = await phase();
      idle.ms.push(...i.ms);
      idle.served += i.served;
      idle.health.push(...i.health);
      const stop = await startFlooder();
      const f = await phase();
      const { sent, answers } = await stop();
      flooded.ms.push(...f.ms);
      flooded.served += f.served;
      flooded.health.push(...f.health);
      flooded.failures.push(...f.failures);
      flooded.sent += sent;
      flooded.answers += answers;
      await sleep(200);
    }
    const idleP50 = median(idle.ms);
    const p50 = median(flooded.ms);
    const healthMax = Math.max(...flooded.health);
    const idleHealthMax = Math.max(...idle.health);
    console.log(`[hostile-child] flood: ${flooded.sent} requests sent, ${flooded.answers} answers read; camera idle ${idle.served}/30 p50 ${idleP50.toFixed(1)} ms, under flood ${flooded.served}/30 p50 ${p50.toFixed(1)} ms (failures ${flooded.failures.join() || 'none'}); /healthz max ${healthMax.toFixed(1)} ms under flood (p90 ${[...flooded.health].sort((a, b) => a - b)[Math.floor(0.9 * (flooded.health.length - 1))].toFixed(1)} ms) [${flooded.health.map((h) => h.toFixed(0)).join(' ')}], ${idleHealthMax.toFixed(1)} ms idle`);
    // ≥ 90 % served; on a machine so loaded that the camera alone is refused more often (busy), no
    // more than 10 points below its idle share (the flooder must not be what costs it requests)
    expect(flooded.served / 30).toBeGreaterThanOrEqual(Math.min(0.9, idle.served / 30 - 0.1));
    expect(p50).toBeLessThanOrEqual(2 * idleP50);
    // < 200 ms (the 9 in 10 best probes: in the parallel default suite a single probe can stall
    // behind another test file's CPU burst; the sequential slow suite asserts the max); on a machine
    // so loaded that /healthz alone takes longer, no worse than twice its idle time
    const healthP90 = [...flooded.health].sort((a, b) => a - b)[Math.floor(0.9 * (flooded.health.length - 1))];
    expect(healthP90).toBeLessThan(Math.max(200, 2 * idleHealthMax));
    await good.close();
  }, 60_000);
});

