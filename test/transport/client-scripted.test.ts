/**
 * EdgeClient against a scripted edge (a real WebSocket server on 127.0.0.1:0 speaking the protocol
 * with hand-chosen timing), to pin down timeouts, late answers, the in-flight cap, and that a
 * request in flight when the connection drops is failed and never re-sent.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { EdgeClient } from '../../src/transport/client/index.js';
import { NO_FRAME, decodeMessage, encodeMessage, type DetectMessage } from '../../src/transport/protocol/index.js';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    await new Promise((r) => s.close(r));
  }
});

/** A scripted edge: answers hello with welcome and hands every detect to `onDetect`. */
async function scriptedEdge(onDetect: (ws: WebSocket, m: DetectMessage, n: number) => void): Promise<{ url: string; seen: number[] }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(wss);
  await new Promise((r) => wss.once('listening', r));
  const seen: number[] = [];
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const m = decodeMessage(data as Buffer);
      if (m.type === 'hello') {
        ws.send(encodeMessage({ type: 'welcome', requestId: 0, frameIndex: NO_FRAME, captureMs: 0, protocol: 1, clientId: 'c1', models: ['m'],
          limits: { maxPayload: 1 << 20, perClientQueue: 4, globalQueue: 8, deadlineMs: 1000, heartbeatMs: 10_000 } }));
      } else if (m.type === 'detect') {
        seen.push(m.requestId);
        onDetect(ws, m, seen.length);
      }
    });
  });
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, seen };
}

const answer = (ws: WebSocket, m: DetectMessage, queueMs = 0): void =>
  ws.send(encodeMessage({ type: 'detections', requestId: m.requestId, frameIndex: m.frameIndex, captureMs: m.captureMs, width: 4, height: 3,
    timings: { queueMs, decodeMs: 0, preMs: 0, inferenceMs: 1, postMs: 0, totalMs: 1 + queueMs }, detections: [] }));

describe('EdgeClient (scripted edge)', () => {
  it('times out a slow request, counts the late answer, and caps requests in flight', async () => {
    const edge = await scriptedEdge((ws, m) => setTimeout(() => answer(ws, m), 300));
    const client = await EdgeClient.connect({ url: edge.url, requestTimeoutMs: 100, maxInFlight: 1 });
    const slow = client.detect(JPEG, { frameIndex: 1, captureMs: 0 });
    await expect(client.detect(JPEG, { frameIndex: 2, captureMs: 0 })).rejects.toMatchObject({ code: 'busy_local', requestId: 0 });
    await expect(slow).rejects.toMatchObject({ code: 'timeout', frameIndex: 1 });
    expect(client.inFlight).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(client.counters()).toMatchObject({ sent: 1, answered: 0, late: 1, failed: { busy_local: 1, timeout: 1 } });
    expect(edge.seen).toHaveLength(1); // the busy_local request was never sent
    await client.close();
  });

  it('fails the request in flight when the connection drops and never re-sends it', async () => {
    // the first detect kills the connection; later ones are answered
    const edge = await scriptedEdge((ws, m, n) => (n === 1 ? ws.terminate() : answer(ws, m)));
    const client = await EdgeClient.connect({ url: edge.url, backoff: { initialMs: 10, maxMs: 20 } });
    const failures: string[] = [];
    client.failures$.subscribe((e) => failures.push(e.code));
    await expect(client.detect(JPEG, { frameIndex: 1, captureMs: 0 })).rejects.toMatchObject({ code: 'disconnected', message: /in flight .*not re-sent/ });
    await client.ready(5000);
    const r = await client.detect(JPEG, { frameIndex: 2, captureMs: 0 });
    expect(r.frameIndex).toBe(2);
    expect(edge.seen).toEqual([1, 2]); // request 1 was sent once, never replayed
    expect(failures).toEqual(['disconnected']);
    expect(client.counters().connects).toBe(2);
    await client.close();
  });

  it('results$ sees every answer; estimates follow the edge timings', async () => {
    const edge = await scriptedEdge((ws, m) => answer(ws, m, 7));
    const client = await EdgeClient.connect({ url: edge.url, maxInFlight: 4, ewmaAlpha: 1 });
    const got: number[] = [];
    client.results$.subscribe((r) => got.push(r.frameIndex));
    await Promise.all([1, 2, 3].map((i) => client.detect(JPEG, { frameIndex: i, captureMs: 0 })));
    expect(got.sort()).toEqual([1, 2, 3]);
    const e = client.estimates();
    expect(e.edgeQueueMs).toBe(7);
    expect(e.edgeMs).toBe(8);
    expect(e.samples).toBe(3);
    let completed = false;
    client.results$.subscribe({ complete: () => (completed = true) });
    await client.close();
    expect(completed).toBe(true);
  });
});
