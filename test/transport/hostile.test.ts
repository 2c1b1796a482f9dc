/**
 * The edge server against hostile clients, in process (real server on port 0, real NanoDet, loopback):
 * image bombs refused by their header, refused connections that keep talking, connection caps and
 * handshake timeouts, clients that do not read or do not pong, rate limits, metrics that count only
 * what happened, and the optional protection of /healthz and /metrics. The memory numbers are
 * measured on a separate `edgetrack edge` process in hostile-child.test.ts.
 */
import { once } from 'node:events';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ObjectDetector } from '../../src/core/index.js';
import { decodeImage } from '../../src/detector/decode-image.js';
import { readImageHeader } from '../../src/detector/image-header.js';
import { CLOSE_CODES, type ErrorMessage } from '../../src/transport/protocol/index.js';
import { createLogger, type EdgeServer, type EdgeServerOptions } from '../../src/transport/server/index.js';
import { EdgeClient } from '../../src/transport/client/index.js';
import { useWarmTestDetector } from './support/detector.js';
import { withEdgeServer } from './support/server.js';
import { detectBytes, rawPeer } from './support/raw.js';
import { cheapDetect, closeOf, frame, helloBytes, httpGet, rawUpgrade, tcp, withDeclaredSize } from './support/raw-tcp.js';

const fixture = useWarmTestDetector(3);
let detector: ObjectDetector;
let jpeg: Uint8Array;
beforeAll(() => {
  ({ detector, jpeg } = fixture);
});

const withServer = <T>(opts: Partial<EdgeServerOptions>, fn: (s: EdgeServer) => Promise<T>): Promise<T> => withEdgeServer(detector, opts, fn);
const errorsOf = (msgs: { type: string }[]) => msgs.filter((m): m is ErrorMessage => m.type === 'error');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!pred()) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

describe('image bombs (finding 1)', () => {
  it('reads the declared size from JPEG (baseline, progressive) and PNG headers without decoding', async () => {
    const rgb = new Uint8Array(64 * 48 * 3).fill(90);
    const raw = { raw: { width: 64, height: 48, channels: 3 as const } };
    expect(readImageHeader(await sharp(rgb, raw).jpeg().toBuffer())).toEqual({ format: 'jpeg', width: 64, height: 48 });
    expect(readImageHeader(await sharp(rgb, raw).jpeg({ progressive: true }).toBuffer())).toEqual({ format: 'jpeg', width: 64, height: 48 });
    expect(readImageHeader(await sharp(rgb, raw).png().toBuffer())).toEqual({ format: 'png', width: 64, height: 48 });
    expect(readImageHeader(withDeclaredSize(jpeg, 16383, 16383))).toEqual({ format: 'jpeg', width: 16383, height: 16383 });
    expect(readImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]))).toMatch(/^JPEG: /);
    expect(readImageHeader(jpeg.subarray(0, 20))).toMatch(/truncated/);
    expect(readImageHeader(new Uint8Array([1, 2, 3, 4]))).toMatch(/expected JPEG/);
  });

  it('refuses a JPEG declaring 16383x16383 with too_large naming the limit, in < 50 ms, before the detector', async () => {
    await withServer({}, async (server) => {
      const peer = await rawPeer(server.url);
      await peer.hello();
      const bomb = withDeclaredSize(jpeg, 16383, 16383);
      const times: number[] = [];
      for (let i = 1; i <= 5; i++) {
        const t0 = performance.now();
        peer.send(detectBytes(i, bomb));
        await peer.waitFor((m) => errorsOf(m).length >= i);
        times.push(performance.now() - t0);
      }
      const errs = errorsOf(peer.messages);
      expect(errs.map((e) => e.code)).toEqual(Array(5).fill('too_large'));
      expect(errs[0].message).toContain('16383x16383');
      expect(errs[0].message).toContain('8294400 pixels');
      expect(server.metrics.snapshot().inference.count).toBe(0); // never reached the detector
      console.log(`[hostile] bomb refused in ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
      expect(Math.max(...times)).toBeLessThan(50);
      // a real image over a custom limit is refused the same way; one under it is served
      peer.send(detectBytes(10, jpeg, 10));
      await peer.waitFor((m) => m.some((x) => x.type === 'detections'));
    });
    await withServer({ maxImagePixels: 100 * 100 }, async (server) => {
      const client = await EdgeClient.connect({ url: server.url });
      await expect(client.detect(jpeg, { frameIndex: 0, captureMs: 0 })).rejects.toMatchObject({ code: 'too_large' });
      await client.close();
    });
  });

  it('decodes a large JPEG reduced on load (shrink-on-load) and reports boxes in its own pixels', async () => {
    const big = await sharp(await sharp(jpeg).resize(3840, 2160, { fit: 'fill' }).raw().toBuffer(), { raw: { width: 3840, height: 2160, channels: 3 } }).jpeg().toBuffer();
    const full = await decodeImage(big);
    expect([full.width, full.height]).toEqual([3840, 2160]);
    const reduced = await decodeImage(big, { fitWithin: { width: 416, height: 416 } });
    expect([reduced.sourceWidth, reduced.sourceHeight]).toEqual([3840, 2160]);
    expect(reduced.width).toBeLessThanOrEqual(832);
    await expect(decodeImage(big, { maxPixels: 1000 })).rejects.toThrow(/3840x2160.*over the limit of 1000 pixels/);
    await withServer({}, async (server) => {
      const client = await EdgeClient.connect({ url: server.url });
      const r = await client.detect(new Uint8Array(big), { frameIndex: 0, captureMs: 0 });
      expect([r.width, r.height]).toEqual([3840, 2160]);
      for (const d of r.detections) expect(d.box.x2).toBeLessThanOrEqual(3840.01);
      await client.close();
    });
  });
});

describe('refused connections (finding 5) and metrics (finding 7)', () => {
  it('a wrong token followed by 20,000 pipelined messages and a correct hello: one log line, no work, not authenticated', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', stream: { write: (l: string) => lines.push(l) } });
    await withServer({ token: 'secret', logger }, async (server) => {
      lines.length = 0;
      const { socket } = await rawUpgrade(server.port);
      const closed = closeOf(socket);
      const burst = [frame(helloBytes('wrong'))];
      for (let i = 1; i <= 20_000; i++) burst.push(frame(i === 10_000 ? helloBytes('secret') : cheapDetect(i)));
      socket.write(Buffer.concat(burst));
      const { code } = await closed;
      expect(code).toBe(CLOSE_CODES.unauthorized);
      await sleep(50);
      const s = server.metrics.snapshot();
      expect(lines.length, lines.join('')).toBeLessThanOrEqual(1);
      expect(lines[0]).toContain('refused client');
      expect(s.requests).toBe(0);
      expect(s.clients).toBe(0);
      expect(s.errorsByCode).toEqual({ unauthorized: 1 }); // nothing counted for a socket being closed
      expect(s.disconnectsByReason).toEqual({ unauthorized: 1 });
    });
  });

  it('counts only binary bytes as received, and only errors actually sent', async () => {
    await withServer({}, async (server) => {
      const peer = await rawPeer(server.url);
      await peer.hello();
      const helloLen = helloBytes('', 'raw').length;
      peer.send('x'.repeat(5000));
      await peer.waitFor((m) => errorsOf(m).length === 1);
      expect(server.metrics.bytesReceived).toBe(helloLen);
      expect(server.metrics.snapshot().errorsByCode).toEqual({ bad_payload: 1 });
      peer.ws.close();
    });
  });
});

describe('connection caps and handshake timeout (finding 6)', () => {
  it('past maxClients / maxClientsPerIp new upgrades get HTTP 503 while existing clients are served', async () => {
    await withServer({ maxClients: 3, maxClientsPerIp: 3 }, async (server) => {
      const clients = await Promise.all([0, 1, 2].map((i) => EdgeClient.connect({ url: server.url, name: `c${i}` })));
      const refused = await rawUpgrade(server.port);
      expect(refused.status).toBe(503);
      expect(refused.response).toContain('too many clients: 3 connected, limit 3');
      for (const c of clients) await expect(c.detect(jpeg, { frameIndex: 1, captureMs: 0 })).resolves.toMatchObject({ frameIndex: 1 });
      expect(server.metrics.snapshot().refusedConnectionsByReason).toEqual({ too_many_clients: 1 });
      await clients[0].close();
      await sleep(50);
      const again = await rawUpgrade(server.port); // a slot is free again
      expect(again.status).toBe(101);
      again.socket.destroy();
      await Promise.all(clients.slice(1).map((c) => c.close()));
    });
    await withServer({ maxClients: 10, maxClientsPerIp: 2 }, async (server) => {
      const a = await rawUpgrade(server.port);
      const b = await rawUpgrade(server.port);
      const c = await rawUpgrade(server.port);
      expect([a.status, b.status, c.status]).toEqual([101, 101, 503]);
      expect(c.response).toContain('too many clients from 127.0.0.1: 2 connected, limit 2');
      a.socket.destroy();
      b.socket.destroy();
    });
  });

  it('silent TCP connections are cut after handshakeTimeoutMs; maxConnections bounds descriptors; /healthz answers meanwhile and after', async () => {
    await withServer({ handshakeTimeoutMs: 400, maxClients: 10, maxConnections: 40 }, async (server) => {
      const t0 = performance.now();
      const silent = await Promise.all(Array.from({ length: 30 }, () => tcp(server.port)));
      const closedAt = silent.map((s) => {
        s.on('error', () => {});
        return once(s, 'close').then(() => performance.now() - t0);
      });
      const health = await httpGet(server.port, '/healthz');
      expect(health.status).toBe(200);
      // over maxConnections: the extra sockets are closed at once
      const extraLifetimes = await Promise.all(
        Array.from({ length: 15 }, async () => {
          const at = performance.now();
          const s = await tcp(server.port).catch(() => null);
          if (!s) return 0; // refused outright
          s.on('error', () => {});
          await once(s, 'close');
          return performance.now() - at;
        }),
      );
      const times = await Promise.all(closedAt);
      console.log(`[hostile] silent sockets closed after ${Math.min(...times).toFixed(0)}..${Math.max(...times).toFixed(0)} ms (timeout 400)`);
      expect(Math.min(...times)).toBeGreaterThanOrEqual(350);
      expect(Math.max(...times)).toBeLessThan(400 + 1500);
      // 30 silent + the /healthz socket leave ≤ 9 slots of 40: the others are closed at once, not held until the timeout
      expect(extraLifetimes.filter((t) => t < 300).length, extraLifetimes.map((t) => t.toFixed(0)).join(' ')).toBeGreaterThanOrEqual(5);
      expect((await httpGet(server.port, '/healthz')).status).toBe(200);
      const client = await EdgeClient.connect({ url: server.url });
      await expect(client.detect(jpeg, { frameIndex: 2, captureMs: 0 })).resolves.toMatchObject({ frameIndex: 2 });
      await client.close();
    });
  });
});

describe('clients that do not read or do not pong (finding 3)', () => {
  it('a client that never reads is dropped with 4004 once its answers exceed maxOutboundBytes', async () => {
    await withServer({ maxOutboundBytes: 64 * 1024, requestsPerSecond: 1e6, requestBurst: 1e6, heartbeatMs: 60_000 }, async (server) => {
      const { socket } = await rawUpgrade(server.port);
      socket.pause(); // never reads
      const closed = once(socket, 'close');
      socket.write(frame(helloBytes('')));
      const stats = frame(new Uint8Array(Buffer.from([0x45, 0x54, 1, 6, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])));
      const t0 = performance.now();
      let sent = 0;
      while (server.metrics.snapshot().disconnectsByReason.slow_consumer === undefined && performance.now() - t0 < 10_000) {
        if (socket.write(Buffer.concat(Array(200).fill(stats)))) sent += 200;
        await sleep(2);
      }
      const s = server.metrics.snapshot();
      console.log(`[hostile] never-reading client dropped after ${sent} stats requests, ${(performance.now() - t0).toFixed(0)} ms`);
      expect(s.disconnectsByReason.slow_consumer).toBe(1);
      socket.resume(); // read what is left so the close is seen
      await closed;
      await until(() => server.metrics.clients === 0, 3000, 'the server to forget the client');
    });
  });

  it('traffic does not count as alive: a client that sends but never pongs is dropped by the heartbeat', async () => {
    await withServer({ heartbeatMs: 200 }, async (server) => {
      const mute = await rawPeer(server.url, { autoPong: false });
      await mute.hello();
      const chatter = setInterval(() => mute.send(detectBytes(1, new Uint8Array([1]))), 20);
      const t0 = Date.now();
      const closed = await mute.closed;
      clearInterval(chatter);
      expect(closed.code).toBe(1006);
      expect(Date.now() - t0).toBeLessThan(1500);
      expect(server.metrics.snapshot().disconnectsByReason.heartbeat).toBe(1);
    });
  });
});

describe('rate limits (finding 4)', () => {
  it('a client over its message rate gets rate_limited with its request ids and is throttled; one within it is untouched', async () => {
    await withServer({ requestsPerSecond: 20, requestBurst: 5 }, async (server) => {
      const flooder = await rawPeer(server.url);
      await flooder.hello();
      for (let i = 1; i <= 50; i++) flooder.send(detectBytes(i, new Uint8Array([1, 2, 3])));
      await flooder.waitFor((m) => errorsOf(m).length >= 50);
      expect(flooder.messages[0]).toMatchObject({ type: 'welcome', limits: { requestsPerSecond: 20, requestBurst: 5, maxImagePixels: 3840 * 2160 } });
      const errs = errorsOf(flooder.messages);
      const limited = errs.filter((e) => e.code === 'rate_limited');
      expect(errs.length - limited.length).toBe(5); // the burst went through (bad_image here)
      expect(limited.length).toBe(45);
      expect(limited[0].requestId).toBe(6);
      expect(limited[0].message).toContain('20 messages/s');
      const good = await EdgeClient.connect({ url: server.url });
      for (let i = 0; i < 5; i++) await expect(good.detect(jpeg, { frameIndex: i, captureMs: 0 })).resolves.toMatchObject({ frameIndex: i });
      await good.close();
    });
  });

  it('the byte rate: a client over bytesPerSecond is refused the same way', async () => {
    await withServer({ bytesPerSecond: 1, byteBurst: 4 * 1024 * 1024 + 200_000 }, async (server) => {
      const peer = await rawPeer(server.url);
      await peer.hello();
      const big = new Uint8Array(4 * 1024 * 1024).fill(7);
      peer.send(detectBytes(1, big));
      peer.send(detectBytes(2, big));
      await peer.waitFor((m) => errorsOf(m).length >= 2);
      expect(errorsOf(peer.messages).map((e) => [e.requestId, e.code])).toEqual([[1, 'bad_image'], [2, 'rate_limited']]);
      expect(errorsOf(peer.messages)[1].message).toContain('bytes/s');
    });
  });
});

describe('protected status routes', () => {
  it('statusToken: /healthz and /metrics need the bearer token; statusPort moves them off the WebSocket port', async () => {
    await withServer({ statusToken: 'st' }, async (server) => {
      expect((await httpGet(server.port, '/healthz')).status).toBe(401);
      expect((await httpGet(server.port, '/metrics', { authorization: 'Bearer nope' })).status).toBe(401);
      expect((await httpGet(server.port, '/metrics', { authorization: 'Bearer st' })).status).toBe(200);
    });
    await withServer({ statusPort: 0 }, async (server) => {
      expect(server.statusPort).not.toBe(server.port);
      expect((await httpGet(server.port, '/healthz')).status).toBe(404);
      const h = await httpGet(server.statusPort, '/healthz');
      expect(h.status).toBe(200);
      expect(JSON.parse(h.body)).toMatchObject({ status: 'ok' });
      const client = await EdgeClient.connect({ url: server.url });
      await client.close();
    });
  });
});

