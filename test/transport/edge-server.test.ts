import { beforeAll, describe, expect, it } from 'vitest';
import type { ObjectDetector } from '../../src/core/index.js';
import { CLOSE_CODES, type DetectionsMessage, type ErrorMessage } from '../../src/transport/protocol/index.js';
import { silentLogger, startEdgeServer, type EdgeServer, type EdgeServerOptions } from '../../src/transport/server/index.js';
import { EdgeClient, EdgeRequestError } from '../../src/transport/client/index.js';
import { useWarmTestDetector } from './support/detector.js';
import { withEdgeServer } from './support/server.js';
import { detectBytes, rawPeer } from './support/raw.js';
import { startDetectLoop } from './support/detect-loop.js';

const fixture = useWarmTestDetector(1);
let detector: ObjectDetector;
let jpeg: Uint8Array;
beforeAll(() => {
  ({ detector, jpeg } = fixture);
});

const withServer = <T>(opts: Partial<EdgeServerOptions>, fn: (s: EdgeServer) => Promise<T>): Promise<T> => withEdgeServer(detector, opts, fn);

const errorsOf = (msgs: { type: string }[]) => msgs.filter((m): m is ErrorMessage => m.type === 'error');
const detsOf = (msgs: { type: string }[]) => msgs.filter((m): m is DetectionsMessage => m.type === 'detections');

describe('edge server basics', () => {
  it('answers a detect with detections in the JPEG pixels and edge timings; serves /healthz and /metrics', async () => {
    await withServer({}, async (server) => {
      expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
      const client = await EdgeClient.connect({ url: server.url, name: 'basic' });
      expect(client.welcome?.models).toEqual([detector.name]);
      const r = await client.detect(jpeg, { frameIndex: 7, captureMs: 280 });
      expect([r.frameIndex, r.captureMs, r.width, r.height]).toEqual([7, 280, 160, 120]);
      expect(r.timings.inferenceMs).toBeGreaterThan(0);
      expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.inferenceMs);
      expect(r.roundTripMs).toBeGreaterThanOrEqual(r.timings.totalMs);
      for (const d of r.detections) {
        expect(d.box.x2).toBeLessThanOrEqual(160.01);
        expect(d.box.y2).toBeLessThanOrEqual(120.01);
      }
      const stats = await client.stats();
      expect(stats).toMatchObject({ requests: 1, responses: 1, clients: 1, models: [detector.name] });
      const est = client.estimates();
      expect(est.samples).toBe(1);
      expect(est.rttMs).toBeGreaterThan(0);
      expect(est.uplinkBps).toBeGreaterThan(0);
      const port = server.port;
      const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
      expect(health).toMatchObject({ status: 'ok', models: [detector.name], clients: 1 });
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toContain('edgetrack_edge_requests_total 1');
      expect(text).toContain('edgetrack_edge_responses_total 1');
      expect(text).toMatch(/edgetrack_edge_inference_ms_count\{model="[^"]+"\} 1/);
      expect(text).toContain('# TYPE edgetrack_edge_queue_depth gauge');
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(405);
      await client.close();
      await client.close(); // idempotent
    });
  });

  it('rejects unknown models, non-images, and answers stats', async () => {
    await withServer({}, async (server) => {
      const peer = await rawPeer(server.url);
      await peer.hello();
      peer.send(detectBytes(1, jpeg, 1, { model: 'nope' }));
      peer.send(detectBytes(2, new Uint8Array([1, 2, 3, 4])));
      peer.send(detectBytes(3, new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]))); // JPEG magic, corrupt body: the detector refuses it
      peer.send(detectBytes(4, jpeg));
      await peer.waitFor((m) => m.length >= 5);
      expect(errorsOf(peer.messages).map((e) => [e.requestId, e.code])).toEqual([[1, 'model_unknown'], [2, 'bad_image'], [3, 'bad_image']]);
      expect(detsOf(peer.messages).map((d) => d.requestId)).toEqual([4]);
      const client = await EdgeClient.connect({ url: server.url });
      await expect(client.detect(jpeg, { frameIndex: 0, captureMs: 0, model: 'nope' })).rejects.toMatchObject({ code: 'model_unknown' });
      await client.close();
      peer.ws.close();
    });
  });
});

describe('authentication', () => {
  it('refuses a missing or wrong token with close code 4001 and a clear reason; accepts the right one', async () => {
    await withServer({ token: 's3cret' }, async (server) => {
      const none = await rawPeer(server.url);
      none.send(detectBytes(1, jpeg)); // not even a hello
      expect(await none.closed).toEqual({ code: CLOSE_CODES.protocolError, reason: 'protocol: first message must be hello' });

      const missing = await rawPeer(server.url);
      missing.send((await import('../../src/transport/protocol/index.js')).encodeMessage({ type: 'hello', requestId: 0, frameIndex: -1, captureMs: 0, protocol: 1, token: '', name: 'x' }));
      expect(await missing.closed).toEqual({ code: 4001, reason: 'unauthorized: missing token' });
      expect(errorsOf(missing.messages)[0]?.code).toBe('unauthorized');

      const wrong = EdgeClient.connect({ url: server.url, token: 'guess' });
      await expect(wrong).rejects.toBeInstanceOf(EdgeRequestError);
      await expect(wrong).rejects.toMatchObject({ code: 'unauthorized', message: /wrong token/ });

      // a client that was refused: a later ready() fails at once instead of waiting for its timeout
      // (the 5 s backoff keeps it from being refused again in between)
      const refused = new EdgeClient({ url: server.url, token: 'guess', backoff: { initialMs: 5000, maxMs: 5000, jitter: 0 } }).start();
      await expect(refused.ready(30_000)).rejects.toMatchObject({ code: 'unauthorized' });
      const t0 = performance.now();
      await expect(refused.ready(30_000)).rejects.toMatchObject({ code: 'unauthorized', message: /wrong token/ });
      expect(performance.now() - t0).toBeLessThan(1000);
      await refused.close();

      const ok = await EdgeClient.connect({ url: server.url, token: 's3cret' });
      await expect(ok.detect(jpeg, { frameIndex: 1, captureMs: 0 })).resolves.toMatchObject({ frameIndex: 1 });
      await ok.close();
      expect(server.metrics.snapshot().errorsByCode.unauthorized).toBeGreaterThanOrEqual(4);
    });
  });

  it('closes a connection that never says hello', async () => {
    await withServer({ helloTimeoutMs: 100 }, async (server) => {
      const peer = await rawPeer(server.url);
      expect(await peer.closed).toEqual({ code: CLOSE_CODES.helloTimeout, reason: 'protocol: no hello within timeout' });
    });
  });
});

describe('limits', () => {
  it('oversized payload → too_large, the connection and other clients keep being served', async () => {
    await withServer({ maxPayload: 20_000 }, async (server) => {
      const big = new Uint8Array(30_000);
      big.set(jpeg);
      const other = await EdgeClient.connect({ url: server.url, name: 'other', maxInFlight: 1 });
      const peer = await rawPeer(server.url);
      await peer.hello();
      const otherRun = (async () => {
        const got: number[] = [];
        for (let i = 0; i < 5; i++) got.push((await other.detect(jpeg, { frameIndex: i, captureMs: i })).frameIndex);
        return got;
      })();
      peer.send(detectBytes(1, big));
      peer.send(detectBytes(2, jpeg));
      await peer.waitFor((m) => m.length >= 3);
      expect(errorsOf(peer.messages).map((e) => [e.requestId, e.code])).toEqual([[1, 'too_large']]);
      expect(detsOf(peer.messages).map((d) => d.requestId)).toEqual([2]);
      expect(await otherRun).toEqual([0, 1, 2, 3, 4]);
      // a frame above the hard limit is cut off by ws itself with 1009; the server keeps going
      const huge = await rawPeer(server.url);
      await huge.hello();
      huge.send(detectBytes(3, new Uint8Array(2 * 20_000 + 70_000)));
      expect((await huge.closed).code).toBe(CLOSE_CODES.messageTooBig);
      await expect(other.detect(jpeg, { frameIndex: 9, captureMs: 0 })).resolves.toMatchObject({ frameIndex: 9 });
      await other.close();
      peer.ws.close();
    });
  });

  it('per-client queue bound → busy; deadline passed in the queue → deadline', async () => {
    await withServer({ perClientQueue: 2, deadlineMs: 10_000 }, async (server) => {
      const peer = await rawPeer(server.url);
      await peer.hello();
      for (let i = 1; i <= 6; i++) peer.send(detectBytes(i, jpeg));
      await peer.waitFor((m) => m.length >= 7);
      const busy = errorsOf(peer.messages).filter((e) => e.code === 'busy').map((e) => e.requestId);
      const ok = detsOf(peer.messages).map((d) => d.requestId);
      expect(busy.length).toBeGreaterThanOrEqual(3);
      expect([...busy, ...ok].sort()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(ok).toEqual([...ok].sort((a, b) => a - b));
      peer.ws.close();
    });
    await withServer({ perClientQueue: 8, deadlineMs: 1 }, async (server) => {
      const peer = await rawPeer(server.url);
      await peer.hello();
      for (let i = 1; i <= 4; i++) peer.send(detectBytes(i, jpeg));
      await peer.waitFor((m) => m.length >= 5);
      // the first starts at once; the others wait behind it longer than 1 ms
      expect(errorsOf(peer.messages).filter((e) => e.code === 'deadline').length).toBeGreaterThanOrEqual(2);
      peer.ws.close();
    });
  });

  it('global queue bound → busy across clients', async () => {
    await withServer({ perClientQueue: 8, globalQueue: 3 }, async (server) => {
      const peers = await Promise.all([0, 1, 2].map(() => rawPeer(server.url)));
      await Promise.all(peers.map((p) => p.hello()));
      peers.forEach((p) => { for (let i = 1; i <= 4; i++) p.send(detectBytes(i, jpeg)); });
      await Promise.all(peers.map((p) => p.waitFor((m) => m.length >= 5)));
      const all = peers.flatMap((p) => p.messages.slice(1));
      expect(errorsOf(all).some((e) => e.code === 'busy' && /server queue full/.test(e.message))).toBe(true);
      expect(detsOf(all).length + errorsOf(all).length).toBe(12);
      peers.forEach((p) => p.ws.close());
    });
  });

  it('drops a client that stops answering pings', async () => {
    await withServer({ heartbeatMs: 250 }, async (server) => {
      const mute = await rawPeer(server.url, { autoPong: false });
      await mute.hello();
      const live = await EdgeClient.connect({ url: server.url });
      const t0 = Date.now();
      const closed = await mute.closed;
      expect(closed.code).toBe(1006); // terminated, no close frame
      expect(Date.now() - t0).toBeLessThan(2000);
      await new Promise((r) => setTimeout(r, 300));
      expect(live.state).toBe('open');
      expect(live.counters().connects).toBe(1);
      await live.close();
    });
  });
});

describe('robustness', () => {
  it('1000 random/garbage messages from one client → errors, no crash, other clients unaffected', async () => {
    // rate limits out of the way: this is about decoding garbage (rate limiting: hostile.test.ts)
    await withServer({ requestsPerSecond: 1e6, requestBurst: 1e6 }, async (server) => {
      const good = await EdgeClient.connect({ url: server.url, name: 'good' });
      const bad = await rawPeer(server.url);
      await bad.hello();
      let seed = 99;
      const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
      const goodRun = (async () => {
        const frames: number[] = [];
        for (let i = 0; i < 10; i++) frames.push((await good.detect(jpeg, { frameIndex: i, captureMs: i })).frameIndex);
        return frames;
      })();
      for (let i = 0; i < 1000; i++) {
        const n = rnd() % 80;
        const b = new Uint8Array(n).map(rnd);
        if (i % 3 === 0 && n >= 24) { b[0] = 0x45; b[1] = 0x54; b[2] = 1; b[3] = 1 + (rnd() % 7); }
        if (i % 50 === 0) bad.send('{"text": "frame"}');
        else bad.send(b);
      }
      await bad.waitFor((m) => m.length >= 1001, 20_000);
      const errs = errorsOf(bad.messages);
      expect(errs.length).toBe(1000);
      const codes = new Set(errs.map((e) => e.code));
      expect([...codes].every((c) => ['bad_magic', 'bad_version', 'truncated', 'unknown_type', 'bad_payload', 'bad_image', 'too_large'].includes(c))).toBe(true);
      expect(await goodRun).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(bad.ws.readyState).toBe(bad.ws.OPEN);
      await expect(good.detect(jpeg, { frameIndex: 99, captureMs: 0 })).resolves.toMatchObject({ frameIndex: 99 });
      expect(server.metrics.snapshot().errorsByCode.internal).toBeUndefined();
      await good.close();
      bad.ws.close();
    });
  }, 60_000);
});

describe('shutdown and restart', () => {
  it('close() answers the running request, rejects queued ones with shutting_down, closes sockets with 1001', async () => {
    const server = await startEdgeServer({ detectors: [detector], logger: silentLogger, perClientQueue: 8 });
    const peer = await rawPeer(server.url);
    await peer.hello();
    for (let i = 1; i <= 5; i++) peer.send(detectBytes(i, jpeg));
    await new Promise((r) => setTimeout(r, 5));
    await peer.waitFor((m) => server.metrics.requests === 5, 5000);
    const closing = server.close();
    expect(server.close()).toBe(closing);
    await closing;
    expect(await peer.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    const answered = detsOf(peer.messages).map((d) => d.requestId);
    const rejected = errorsOf(peer.messages).filter((e) => e.code === 'shutting_down').map((e) => e.requestId);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    expect([...answered, ...rejected].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('a client keeps running across a server restart on the same port', async () => {
    const first = await startEdgeServer({ detectors: [detector], logger: silentLogger });
    const port = first.port;
    const client = new EdgeClient({ url: first.url, backoff: { initialMs: 20, maxMs: 200, jitter: 0.5 }, requestTimeoutMs: 3000 }).start();
    await client.ready();
    const states: string[] = [];
    client.state$.subscribe((s) => states.push(s));
    const loop = startDetectLoop(client, jpeg, 10);
    const { outcomes } = loop;
    await new Promise((r) => setTimeout(r, 300));
    await first.close();
    const before = loop.okCount();
    const second = await startEdgeServer({ detectors: [detector], logger: silentLogger, port });
    await client.ready(5000);
    await new Promise((r) => setTimeout(r, 300));
    await loop.stop();
    const after = loop.okCount();
    expect(before).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(before);
    expect(outcomes.every((o) => ['ok', 'disconnected', 'shutting_down'].includes(o))).toBe(true);
    expect(states).toContain('backoff');
    expect(client.counters().connects).toBe(2);
    await client.close();
    await second.close();
  });
});

describe('EdgePool', () => {
  it('spreads requests over open edges and keeps going when one edge goes away', async () => {
    const { EdgePool } = await import('../../src/transport/client/index.js');
    const a = await startEdgeServer({ detectors: [detector], logger: silentLogger });
    const b = await startEdgeServer({ detectors: [detector], logger: silentLogger });
    const pool = new EdgePool({ urls: [a.url, b.url], maxInFlight: 1, backoff: { initialMs: 20, maxMs: 100 } }).start();
    await Promise.all(pool.clients.map((c) => c.ready()));
    const frames: number[] = [];
    for (let i = 0; i < 6; i++) frames.push((await pool.detect(jpeg, { frameIndex: i, captureMs: 0 })).frameIndex);
    expect(frames).toEqual([0, 1, 2, 3, 4, 5]);
    expect(a.metrics.responses).toBeGreaterThan(0);
    expect(b.metrics.responses).toBeGreaterThan(0);
    await a.close();
    await new Promise((r) => setTimeout(r, 50));
    const before = b.metrics.responses;
    for (let i = 6; i < 10; i++) await expect(pool.detect(jpeg, { frameIndex: i, captureMs: 0 })).resolves.toMatchObject({ frameIndex: i });
    expect(b.metrics.responses).toBe(before + 4);
    await pool.close();
    await b.close();
    await expect(pool.detect(jpeg, { frameIndex: 0, captureMs: 0 })).rejects.toMatchObject({ code: 'disconnected' });
  });
});
