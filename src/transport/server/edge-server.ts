import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { createHash, timingSafeEqual } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { ValidationError, type ObjectDetector } from '../../core/index.js';
import {
  CLOSE_CODES,
  CLOSE_REASONS,
  HEADER_BYTES,
  MESSAGE_TYPES,
  NO_FRAME,
  PROTOCOL_VERSION,
  ProtocolError,
  decodeHeader,
  decodeMessage,
  encodeMessage,
  type DetectMessage,
  type ErrorCode,
  type ServerLimits,
} from '../protocol/index.js';
import { FairQueue } from './fair-queue.js';
import { EdgeMetrics } from './metrics.js';
import { createLogger, isLogLevel, type Logger } from './logger.js';
import { resolveEdgeServerOptions, type EdgeServerOptions, type ResolvedEdgeServerOptions } from './options.js';
import { resolveDetectors } from './detectors.js';
import { httpRoutes } from './http-routes.js';
import { guardConnections } from './connection-guard.js';
import { TokenBucket } from './token-bucket.js';
import { pixelLimitProblem, readImageHeader } from '../../detector/image-header.js';

/** A running edge server. */
export interface EdgeServer {
  /** `ws://host:port` to give to clients. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Model names served; the first is the default. */
  readonly models: readonly string[];
  /** Live counters (also served as Prometheus text at `/metrics`). */
  readonly metrics: EdgeMetrics;
  /** Port serving `/healthz` and `/metrics`: `port`, or the separate status listener's (options.statusPort). */
  readonly statusPort: number;
  /**
   * Graceful shutdown: stops accepting connections and requests, rejects queued requests with
   * `shutting_down`, lets running ones finish (up to `shutdownGraceMs`) and answers them, closes
   * every socket with 1001, then closes the detectors it created. Idempotent (same promise).
   */
  close(): Promise<void>;
}

interface Conn {
  readonly id: string;
  readonly ws: WebSocket;
  /** The TCP socket under `ws`: corked while one read's worth of messages is answered. */
  readonly socket: Duplex;
  corked: boolean;
  name: string;
  authed: boolean;
  /** Answered the last ping (only pongs count, not other traffic). */
  alive: boolean;
  busy: boolean;
  gone: boolean;
  /** The server is closing this connection: nothing more it sends is read or answered. */
  done: boolean;
  /** Raw bytes received before authentication (capped at {@link MAX_BYTES_BEFORE_HELLO}). */
  preAuthBytes: number;
  helloTimer?: NodeJS.Timeout;
  /** Per-client rate limits (created at authentication). */
  messages?: TokenBucket;
  bytes?: TokenBucket;
  /** Set while reading is paused because the client went over its rate. */
  throttle?: NodeJS.Timeout;
}

interface Job {
  readonly conn: Conn;
  readonly msg: DetectMessage;
  readonly model: string;
  readonly receivedAt: number;
  readonly deadlineAt: number;
}

interface Worker {
  readonly detector: ObjectDetector;
  busy: boolean;
}

/** Largest non-detect payload accepted (hello/stats JSON). */
export const MAX_CONTROL_PAYLOAD = 64 * 1024;
/**
 * Raw bytes a connection may send before its `hello` is accepted: one control message (header +
 * payload) plus the largest WebSocket frame header. More → close 1009 at once, so an unauthenticated
 * socket cannot make the server buffer a multi-megabyte frame.
 */
export const MAX_BYTES_BEFORE_HELLO = MAX_CONTROL_PAYLOAD + HEADER_BYTES + 14;
/** How long a connection the server closes gets to complete the closing handshake before it is cut. */
const CLOSE_CUTOFF_MS = 2000;
/** The same for connections closed before or at authentication, and for clients that do not read. */
const FAST_CUTOFF_MS = 250;
/** Window of the event-loop delay reported at /metrics. */
const LOOP_DELAY_WINDOW_MS = 5000;
/** Longest single pause of reading from a client over its rate (paused again if still over). */
const MAX_THROTTLE_MS = 1000;

/**
 * Starts an edge server: HTTP on `host:port` with a WebSocket endpoint (any path), `GET /healthz`
 * and `GET /metrics`. Resolves once listening and every detector is ready. See docs/transport.md.
 */
export async function startEdgeServer(options: EdgeServerOptions): Promise<EdgeServer> {
  const opts = resolveEdgeServerOptions(options);
  const envLevel = process.env.EDGETRACK_LOG_LEVEL;
  const log: Logger = options.logger ?? createLogger({ level: isLogLevel(envLevel) ? envLevel : 'info', base: { component: 'edge' } });
  const { detectors, owned } = await resolveDetectors(opts.detectors, opts.detectorOptions);
  try {
    return await listen(opts, detectors, owned, log);
  } catch (err) {
    await Promise.allSettled(owned.map((d) => d.close()));
    throw err;
  }
}

async function listen(opts: ResolvedEdgeServerOptions, detectors: ObjectDetector[], owned: ObjectDetector[], log: Logger): Promise<EdgeServer> {
  const models = [...new Set(detectors.map((d) => d.name))];
  const workers: Worker[] = detectors.map((detector) => ({ detector, busy: false }));
  const metrics = new EdgeMetrics();
  const queue = new FairQueue<Job>(opts.perClientQueue, opts.globalQueue);
  const conns = new Map<string, Conn>();
  const tokenHash = opts.token ? sha256(opts.token) : null;
  const limits: ServerLimits = {
    maxPayload: opts.maxPayload,
    perClientQueue: opts.perClientQueue,
    globalQueue: opts.globalQueue,
    deadlineMs: opts.deadlineMs,
    heartbeatMs: opts.heartbeatMs,
    maxImagePixels: opts.maxImagePixels,
    requestsPerSecond: opts.requestsPerSecond,
    requestBurst: opts.requestBurst,
    bytesPerSecond: opts.bytesPerSecond,
    maxOutboundBytes: opts.maxOutboundBytes,
  };
  const startedAt = Date.now();
  let nextId = 0;
  let closing: Promise<void> | null = null;
  let inServiceDone: (() => void) | null = null;

  /** Hands `bytes` to the socket; false when it is not open or the client is dropped for not reading. */
  const send = (conn: Conn, bytes: Uint8Array): boolean => {
    if (conn.ws.readyState !== WebSocket.OPEN) return false;
    if (conn.ws.bufferedAmount + bytes.length > opts.maxOutboundBytes) {
      dropSlowConsumer(conn);
      return false;
    }
    if (!conn.corked) {
      // answers produced while one chunk of pipelined messages is handled leave in one write
      conn.corked = true;
      conn.socket.cork();
      process.nextTick(() => {
        conn.corked = false;
        conn.socket.uncork();
      });
    }
    conn.ws.send(bytes, (err) => err && log.debug('send failed', { client: conn.id, error: err.message }));
    return true;
  };
  const sendError = (conn: Conn, code: ErrorCode, message: string, requestId = 0, frameIndex = NO_FRAME, captureMs = 0): void => {
    if (!send(conn, encodeMessage({ type: 'error', requestId, frameIndex, captureMs, code, message }))) return;
    metrics.error(code);
    log.debug('request error', { client: conn.id, code, requestId, message });
  };
  /**
   * Starts the closing handshake and cuts the TCP connection after `cutoffMs` if the peer does not
   * complete it. `stopReading`: nothing more is read from the socket (refusals, protocol errors).
   */
  const closeConn = (conn: Conn, code: number, reason: string, opt: { cutoffMs?: number; stopReading?: boolean } = {}): void => {
    log[conn.authed ? 'info' : 'debug']('closing connection', { client: conn.id, name: conn.name, code, reason });
    if (opt.stopReading) {
      conn.done = true;
      conn.ws.pause();
    }
    conn.ws.close(code, reason);
    // a peer that never completes the closing handshake is cut off
    setTimeout(() => conn.ws.terminate(), opt.cutoffMs ?? CLOSE_CUTOFF_MS).unref();
  };
  const dropSlowConsumer = (conn: Conn): void => {
    if (conn.done) return;
    metrics.disconnect('slow_consumer');
    log.warn('client not reading its answers, dropping it', { client: conn.id, name: conn.name, bufferedBytes: conn.ws.bufferedAmount, limit: opts.maxOutboundBytes });
    closeConn(conn, CLOSE_CODES.slowConsumer, CLOSE_REASONS.slowConsumer, { cutoffMs: FAST_CUTOFF_MS * 4, stopReading: true });
  };
  /** Stops reading a client over its rate until its buckets allow the next message. */
  const throttle = (conn: Conn): void => {
    if (conn.throttle || conn.done) return;
    // at most MAX_THROTTLE_MS at a time: pongs queued behind the pause must reach the heartbeat
    const waitMs = Math.min(MAX_THROTTLE_MS, Math.max(conn.messages!.waitMs(1), conn.bytes!.waitMs(0), 1));
    conn.ws.pause();
    conn.throttle = setTimeout(() => {
      conn.throttle = undefined;
      if (!conn.gone && !conn.done) conn.ws.resume();
    }, waitMs);
    conn.throttle.unref();
  };

  // ---- scheduling ----
  const updateGauges = (): void => {
    metrics.queueDepth = queue.size;
    metrics.inService = workers.filter((w) => w.busy).length;
  };
  const schedule = (): void => {
    for (const w of workers) {
      while (!w.busy) {
        const next = queue.take((cid, job) => job.model === w.detector.name && !conns.get(cid)!.busy);
        if (!next) break;
        const job = next.item;
        const now = performance.now();
        if (now > job.deadlineAt) {
          const m = job.msg;
          sendError(job.conn, 'deadline', `request waited ${(now - job.receivedAt).toFixed(0)} ms, deadline passed`, m.requestId, m.frameIndex, m.captureMs);
          continue;
        }
        void run(w, job, now);
      }
    }
    updateGauges();
  };
  const run = async (w: Worker, job: Job, startMs: number): Promise<void> => {
    const { conn, msg } = job;
    w.busy = true;
    conn.busy = true;
    queue.setInService(conn.id, +1);
    updateGauges();
    try {
      const result = await w.detector.detect(msg.image);
      const minScore = msg.options.minScore ?? 0;
      const detections = minScore > 0 ? result.detections.filter((d) => d.score >= minScore) : result.detections;
      const queueMs = startMs - job.receivedAt;
      const totalMs = performance.now() - job.receivedAt;
      const t = result.timings;
      metrics.served(job.model, t.inferenceMs, queueMs, totalMs);
      const bytes = encodeMessage({
        type: 'detections', requestId: msg.requestId, frameIndex: msg.frameIndex, captureMs: msg.captureMs,
        width: result.width, height: result.height,
        timings: { queueMs, decodeMs: t.decodeMs, preMs: t.preMs, inferenceMs: t.inferenceMs, postMs: t.postMs, totalMs },
        detections,
      });
      if (!send(conn, bytes)) metrics.dropped('client_gone');
    } catch (err) {
      const e = err as Error;
      const badImage = e instanceof ValidationError || /decode|jpeg|png|image|unsupported|corrupt/i.test(e.message ?? '');
      if (!badImage) log.error('detector failed', { client: conn.id, model: job.model, error: e.message });
      if (conn.gone) metrics.dropped('client_gone');
      else sendError(conn, badImage ? 'bad_image' : 'internal', `${job.model}: ${e.message ?? String(e)}`, msg.requestId, msg.frameIndex, msg.captureMs);
    } finally {
      w.busy = false;
      conn.busy = false;
      queue.setInService(conn.id, -1);
      if (closing && !workers.some((x) => x.busy)) inServiceDone?.();
      schedule();
    }
  };
  const sweep = (): void => {
    const now = performance.now();
    for (const { item } of queue.removeWhere((_c, job) => now > job.deadlineAt)) {
      const m = item.msg;
      sendError(item.conn, 'deadline', `request waited ${(now - item.receivedAt).toFixed(0)} ms in the queue, deadline passed`, m.requestId, m.frameIndex, m.captureMs);
    }
    updateGauges();
  };
  const sweepTimer = setInterval(sweep, Math.max(5, Math.min(100, opts.deadlineMs / 4)));
  sweepTimer.unref();
  // event-loop delay per window, for /metrics: the number that says whether clients can starve the loop
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const loopTimer = setInterval(() => {
    const ms = (ns: number) => ns / 1e6;
    metrics.eventLoopDelay = { p50Ms: ms(loopDelay.percentile(50)), p99Ms: ms(loopDelay.percentile(99)), maxMs: ms(loopDelay.max) };
    loopDelay.reset();
  }, LOOP_DELAY_WINDOW_MS);
  loopTimer.unref();

  // ---- messages ----
  const onDetect = (conn: Conn, msg: DetectMessage): void => {
    metrics.requests++;
    const { requestId, frameIndex, captureMs } = msg;
    if (closing) return sendError(conn, 'shutting_down', 'server is shutting down', requestId, frameIndex, captureMs);
    if (msg.image.length > opts.maxPayload) {
      return sendError(conn, 'too_large', `image: expected ≤ ${opts.maxPayload} bytes, got ${msg.image.length}`, requestId, frameIndex, captureMs);
    }
    const model = msg.options.model ?? models[0];
    if (!models.includes(model)) {
      return sendError(conn, 'model_unknown', `model: expected one of ${models.join(', ')}, got ${JSON.stringify(model)}`, requestId, frameIndex, captureMs);
    }
    // refuse by the size the header declares, before any decoding (image bombs)
    const header = readImageHeader(msg.image);
    if (typeof header === 'string') return sendError(conn, 'bad_image', `image: ${header}`, requestId, frameIndex, captureMs);
    const tooBig = pixelLimitProblem(header.width, header.height, opts.maxImagePixels);
    if (tooBig) return sendError(conn, 'too_large', tooBig, requestId, frameIndex, captureMs);
    const now = performance.now();
    const deadline = Math.min(opts.deadlineMs, msg.options.deadlineMs ?? Infinity);
    const refused = queue.push(conn.id, { conn, msg, model, receivedAt: now, deadlineAt: now + deadline });
    if (refused === 'client_full') {
      return sendError(conn, 'busy', `client queue full: ${opts.perClientQueue} requests outstanding`, requestId, frameIndex, captureMs);
    }
    if (refused === 'global_full') {
      return sendError(conn, 'busy', `server queue full: ${opts.globalQueue} requests waiting`, requestId, frameIndex, captureMs);
    }
    schedule();
  };

  const onHello = (conn: Conn, msg: { protocol: number; token: string; name: string }): void => {
    clearTimeout(conn.helloTimer);
    if (msg.protocol !== PROTOCOL_VERSION) {
      sendError(conn, 'bad_version', `hello.protocol: expected ${PROTOCOL_VERSION}, got ${msg.protocol}`);
      return closeConn(conn, CLOSE_CODES.protocolError, `protocol: version ${PROTOCOL_VERSION} required`, { cutoffMs: FAST_CUTOFF_MS, stopReading: true });
    }
    conn.name = msg.name;
    if (tokenHash) {
      const reason = msg.token === '' ? CLOSE_REASONS.missingToken : timingSafeEqual(sha256(msg.token), tokenHash) ? null : CLOSE_REASONS.wrongToken;
      if (reason) {
        // one log line; closeConn stops reading: nothing pipelined after this (a second hello
        // included) is decoded
        metrics.disconnect('unauthorized');
        sendError(conn, 'unauthorized', reason);
        log.warn('refused client', { client: conn.id, name: conn.name, reason });
        return closeConn(conn, CLOSE_CODES.unauthorized, reason, { cutoffMs: FAST_CUTOFF_MS, stopReading: true });
      }
    }
    if (closing) return closeConn(conn, CLOSE_CODES.goingAway, CLOSE_REASONS.shuttingDown);
    conn.authed = true;
    conn.messages = new TokenBucket(opts.requestsPerSecond, opts.requestBurst, opts.requestBurst);
    conn.bytes = new TokenBucket(opts.bytesPerSecond, opts.byteBurst, opts.byteBurst);
    metrics.clients++;
    log.info('client authenticated', { client: conn.id, name: conn.name });
    send(conn, encodeMessage({ type: 'welcome', requestId: 0, frameIndex: NO_FRAME, captureMs: 0, protocol: PROTOCOL_VERSION, clientId: conn.id, models, limits }));
  };

  /** Over its rate: refused with `rate_limited` (its request id when readable) and reading paused. */
  const overRate = (conn: Conn, bytes: Uint8Array): boolean => {
    const okMessages = conn.messages!.take(1);
    const okBytes = conn.bytes!.take(bytes.length);
    if (okMessages && okBytes) return false;
    const isDetect = bytes.length >= HEADER_BYTES && bytes[3] === MESSAGE_TYPES.detect;
    if (isDetect) metrics.requests++;
    const requestId = bytes.length >= HEADER_BYTES ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true) : 0;
    const what = okMessages ? `${opts.bytesPerSecond} bytes/s (burst ${opts.byteBurst})` : `${opts.requestsPerSecond} messages/s (burst ${opts.requestBurst})`;
    sendError(conn, 'rate_limited', `rate limit: over ${what}; retry later`, requestId);
    throttle(conn);
    return true;
  };

  const onMessage = (conn: Conn, data: RawData, isBinary: boolean): void => {
    if (conn.done) return;
    const bytes = toBytes(data);
    if (isBinary) metrics.bytesReceived += bytes.length;
    if (conn.authed && overRate(conn, bytes)) return;
    try {
      if (!isBinary) throw new ProtocolError('bad_payload', 'expected a binary message, got text');
      const h = decodeHeader(bytes);
      if (h.type !== 'detect' && h.payloadLength > MAX_CONTROL_PAYLOAD) {
        throw new ProtocolError('too_large', `${h.type}: expected ≤ ${MAX_CONTROL_PAYLOAD} payload bytes, got ${h.payloadLength}`, h.requestId);
      }
      if (h.type === 'detect' && h.payloadLength > opts.maxPayload + 2 + 0xffff) {
        metrics.requests++;
        throw new ProtocolError('too_large', `image: expected ≤ ${opts.maxPayload} bytes, got ~${h.payloadLength - 2}`, h.requestId);
      }
      const msg = decodeMessage(bytes);
      if (!conn.authed) {
        if (msg.type !== 'hello') {
          sendError(conn, 'unauthorized', CLOSE_REASONS.helloExpected);
          return closeConn(conn, CLOSE_CODES.protocolError, CLOSE_REASONS.helloExpected, { cutoffMs: FAST_CUTOFF_MS, stopReading: true });
        }
        return onHello(conn, msg);
      }
      switch (msg.type) {
        case 'detect':
          return onDetect(conn, msg);
        case 'stats':
          return void send(conn, encodeMessage({ type: 'stats', requestId: msg.requestId, frameIndex: NO_FRAME, captureMs: 0, stats: { ...metrics.snapshot(), models } }));
        case 'hello':
          throw new ProtocolError('bad_payload', 'hello: already authenticated', msg.requestId);
        default:
          throw new ProtocolError('unknown_type', `${msg.type}: not a client-to-server message`, msg.requestId);
      }
    } catch (err) {
      const e = err instanceof ProtocolError ? err : new ProtocolError('internal', (err as Error).message ?? String(err));
      if (e.code === 'internal') log.error('message handling failed', { client: conn.id, error: e.message });
      sendError(conn, e.code, e.message, e.requestId);
      if (!conn.authed) closeConn(conn, CLOSE_CODES.protocolError, CLOSE_REASONS.helloExpected, { cutoffMs: FAST_CUTOFF_MS, stopReading: true });
    }
  };

  // ---- sockets ----
  const health = () => ({ shuttingDown: closing !== null, models, clients: metrics.clients, queueDepth: queue.size, uptimeS: (Date.now() - startedAt) / 1000 });
  // Node checks headersTimeout/requestTimeout every connectionsCheckingInterval (default 30 s)
  const http: Server = createServer(
    { connectionsCheckingInterval: Math.min(1000, opts.handshakeTimeoutMs) },
    httpRoutes(health, metrics, { enabled: opts.status === null, token: opts.statusToken }),
  );
  const statusHttp: Server | null = opts.status ? createServer(httpRoutes(health, metrics, { enabled: true, token: opts.statusToken })) : null;
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.hardMaxPayload, clientTracking: false });
  wss.on('error', (err) => log.error('websocket server error', { error: err.message }));
  http.on('clientError', (err, socket) => {
    log.debug('http client error', { error: err.message });
    socket.destroy();
  });
  const onConnection = (ws: WebSocket, req: IncomingMessage): void => {
    const conn: Conn = { id: `c${++nextId}`, ws, socket: req.socket, corked: false, name: '', authed: false, alive: true, busy: false, gone: false, done: false, preAuthBytes: 0 };
    metrics.connections++;
    if (closing) return void ws.close(CLOSE_CODES.goingAway, CLOSE_REASONS.shuttingDown);
    conns.set(conn.id, conn);
    log.debug('connection', { client: conn.id, remote: req.socket.remoteAddress });
    conn.helloTimer = setTimeout(() => {
      if (conn.authed || conn.done) return;
      metrics.disconnect('hello_timeout');
      closeConn(conn, CLOSE_CODES.helloTimeout, CLOSE_REASONS.helloTimeout, { cutoffMs: FAST_CUTOFF_MS, stopReading: true });
    }, opts.helloTimeoutMs);
    // Runs after ws's own 'data' listener, so a hello in this chunk is already handled: only bytes
    // that arrive before authentication count.
    const countBeforeHello = (chunk: Buffer): void => {
      if (conn.authed || conn.done) return void req.socket.off('data', countBeforeHello);
      conn.preAuthBytes += chunk.length;
      if (conn.preAuthBytes <= MAX_BYTES_BEFORE_HELLO) return;
      metrics.disconnect('too_big_before_hello');
      closeConn(conn, CLOSE_CODES.messageTooBig, CLOSE_REASONS.tooBigBeforeHello, { cutoffMs: FAST_CUTOFF_MS, stopReading: true });
    };
    req.socket.on('data', countBeforeHello);
    ws.on('message', (data, isBinary) => onMessage(conn, data, isBinary));
    ws.on('pong', () => (conn.alive = true));
    ws.on('error', (err) => log.debug('socket error', { client: conn.id, error: err.message }));
    ws.on('close', (code, reason) => {
      conn.gone = true;
      clearTimeout(conn.helloTimer);
      clearTimeout(conn.throttle);
      conns.delete(conn.id);
      if (conn.authed) metrics.clients--;
      const dropped = queue.removeClient(conn.id);
      for (let i = 0; i < dropped.length; i++) metrics.dropped('client_gone');
      updateGauges();
      log[conn.authed ? 'info' : 'debug']('connection closed', { client: conn.id, name: conn.name, code, reason: reason.toString(), droppedQueued: dropped.length });
    });
  };
  guardConnections(http, wss, opts, log, () => closing !== null, (why) => metrics.refusedConnection(why), onConnection);
  const heartbeat = setInterval(() => {
    for (const conn of conns.values()) {
      if (!conn.authed) continue; // the hello timeout bounds connections that are not authenticated yet
      if (!conn.alive) {
        log.warn('heartbeat missed, dropping client', { client: conn.id, name: conn.name });
        metrics.disconnect('heartbeat');
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        conn.ws.terminate();
      }
    }
  }, opts.heartbeatMs);
  heartbeat.unref();

  const listenOn = (server: Server, port: number, host: string): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', (err) => log.error('http server error', { error: err.message }));
        resolve((server.address() as AddressInfo).port);
      });
    });
  const port = await listenOn(http, opts.port, opts.host);
  let statusPort = port;
  if (statusHttp && opts.status) {
    try {
      statusPort = await listenOn(statusHttp, opts.status.port, opts.status.host);
    } catch (err) {
      http.close();
      throw err;
    }
  }
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `ws://${hostForUrl}:${port}`;
  log.info('listening', { url, models, auth: tokenHash !== null, statusPort, statusAuth: opts.statusToken !== '' });

  const close = (): Promise<void> => {
    closing ??= (async () => {
      log.info('shutting down', { queued: queue.size, inService: workers.filter((w) => w.busy).length });
      http.close();
      statusHttp?.close();
      for (const { item } of queue.removeWhere(() => true)) {
        const m = item.msg;
        sendError(item.conn, 'shutting_down', 'server is shutting down; request not started', m.requestId, m.frameIndex, m.captureMs);
      }
      updateGauges();
      if (workers.some((w) => w.busy)) {
        await new Promise<void>((resolve) => {
          inServiceDone = resolve;
          setTimeout(resolve, opts.shutdownGraceMs).unref();
        });
      }
      clearInterval(heartbeat);
      clearInterval(sweepTimer);
      clearInterval(loopTimer);
      loopDelay.disable();
      const closed = [...conns.values()].map(
        (c) => new Promise<void>((resolve) => {
          if (c.ws.readyState === WebSocket.CLOSED) return resolve();
          c.ws.once('close', () => resolve());
          closeConn(c, CLOSE_CODES.goingAway, CLOSE_REASONS.shuttingDown);
        }),
      );
      await Promise.all(closed);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      statusHttp?.closeAllConnections();
      await Promise.allSettled(owned.map((d) => d.close()));
      log.info('closed');
    })();
    return closing;
  };

  return { url, host: opts.host, port, statusPort, models, metrics, close };
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
