import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import type { ObjectDetector } from '../../src/core/index.js';
import { ChannelModel, ShapedSender, parseTrace } from '../../src/transport/channel/index.js';
import { EdgeClient } from '../../src/transport/client/index.js';
import { silentLogger, startEdgeServer } from '../../src/transport/server/index.js';
import { createTestDetector, tinyJpeg } from './support/detector.js';

// [0, 1000) ms at 4 Mbps = 500 B/ms, [1000, 2000) ms at 1 Mbps = 125 B/ms, looping.
const TRACE = parseTrace('time_ms,mbps\n0,4\n1000,1\n', { file: 'step.csv' });

describe('ShapedSender over a real loopback WebSocket', () => {
  it('six 100 kB messages sent at t=0 arrive when the trace says (whole transfer within 10%)', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 1 << 20 });
    await new Promise((r) => wss.once('listening', r));
    const arrivals: number[] = [];
    let t0 = 0;
    wss.on('connection', (ws) => ws.on('message', () => arrivals.push(performance.now() - t0)));
    const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    await new Promise((r) => ws.once('open', r));
    const shaper = new ShapedSender(new ChannelModel({ trace: TRACE, baseRttMs: 20 }));
    const payload = new Uint8Array(100_000);
    shaper.restart();
    t0 = performance.now();
    for (let i = 0; i < 6; i++) setTimeout(() => ws.send(payload), shaper.uplinkDelayMs(payload.length));
    // by hand: 100 kB each at 500 B/ms → 200, 400, …, 1000 ms; the 6th in the 125 B/ms part: 1000 + 800 = 1800 ms; + RTT/2 = 10 ms
    const expected = [210, 410, 610, 810, 1010, 1810];
    await new Promise<void>((resolve) => {
      const tick = () => (arrivals.length >= 6 ? resolve() : setTimeout(tick, 5));
      tick();
    });
    arrivals.forEach((a, i) => expect(Math.abs(a - expected[i]), `message ${i}: ${a.toFixed(1)} ms vs ${expected[i]}`).toBeLessThanOrEqual(Math.max(0.1 * expected[i], 60)));
    expect(Math.abs(arrivals[5] - 1810) / 1810).toBeLessThan(0.1);
    ws.close();
    await new Promise((r) => wss.close(r));
  });
});

describe('EdgeClient with a shaper', () => {
  let detector: ObjectDetector;
  beforeAll(async () => {
    detector = await createTestDetector();
  }, 120_000);
  afterAll(async () => {
    await detector?.close();
  });

  it('round trips follow the trace and the uplink estimate matches its rate', async () => {
    const server = await startEdgeServer({ detectors: [detector], logger: silentLogger });
    // constant 2 Mbps = 250 B/ms, base RTT 20 ms
    const trace = parseTrace('0 2\n1 2\n');
    const client = await EdgeClient.connect({ url: server.url, shaper: new ShapedSender(new ChannelModel({ trace, baseRttMs: 20 })), ewmaAlpha: 0.5 });
    const small = await tinyJpeg(3);
    const jpeg = new Uint8Array(100_000); // a JPEG followed by padding: 100 kB on the wire (400 ms)
    jpeg.set(small);
    for (let i = 0; i < 4; i++) {
      const r = await client.detect(jpeg, { frameIndex: i, captureMs: 0 });
      const expectedNet = r.bytesSent / 250 + 20; // transfer + one-way + return
      // timers only ever fire late, and the event loop is shared with the server: allow 15% here
      expect(Math.abs(r.roundTripMs - r.timings.totalMs - expectedNet) / expectedNet).toBeLessThan(0.15);
    }
    const est = client.estimates();
    const expectedBps = (100_000 * 8) / ((100_000 / 250 + 20) / 1000); // network time includes base RTT
    expect(Math.abs(est.uplinkBps - expectedBps) / expectedBps).toBeLessThan(0.15);
    await client.close();
    await server.close();
  }, 30_000);
});
