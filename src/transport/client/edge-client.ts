import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import { WebSocket, type RawData } from 'ws';
import { ValidationError, describeValue, type Detection } from '../../core/index.js';
import {
  CLOSE_CODES,
  NO_FRAME,
  PROTOCOL_VERSION,
  decodeMessage,
  encodeMessage,
  type DetectOptions,
  type EdgeTimings,
  type WelcomeMessage,
} from '../protocol/index.js';
import { silentLogger } from '../server/logger.js';
import { backoffDelay } from './backoff.js';
import { EdgeRequestError } from './errors.js';
import { ChannelEstimator, type ChannelEstimates } from './estimator.js';
import { resolveEdgeClientOptions, type EdgeClientOptions } from './options.js';

/** Connection state machine: idle → connecting → open → (backoff → connecting → open)* → closed. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'backoff' | 'closed';

/** What the caller says about the frame a JPEG comes from. */
export interface DetectMeta {
  /** Frame index (≥ 0), echoed in the response. */
  readonly frameIndex: number;
  /** Capture time of the frame, ms (device clock), echoed in the response. */
  readonly captureMs: number;
  /** Model name; default = the server's default model. */
  readonly model?: string;
  /** Start-by deadline at the edge, ms (capped by the server's). */
  readonly deadlineMs?: number;
  /** Drop detections below this score on the edge. */
  readonly minScore?: number;
}

/** One answered request. */
export interface EdgeResponse {
  readonly requestId: number;
  readonly frameIndex: number;
  readonly captureMs: number;
  /** Model asked for (undefined = server default). */
  readonly model: string | undefined;
  /** Size of the JPEG that was sent; detections are in its pixels. */
  readonly width: number;
  readonly height: number;
  readonly detections: readonly Detection[];
  /** The edge's timings (queue, decode, pre, inference, post, total). */
  readonly timings: EdgeTimings;
  /** `detect()` call to response delivery, ms (includes shaping delays). */
  readonly roundTripMs: number;
  /** Bytes of the request message. */
  readonly bytesSent: number;
}

interface Pending {
  readonly id: number;
  readonly frameIndex: number;
  readonly model: string | undefined;
  readonly createdAt: number;
  readonly bytes: number;
  /** Bytes of the JPEG alone. */
  readonly imageBytes: number;
  readonly ws: WebSocket;
  readonly resolve: (r: EdgeResponse) => void;
  readonly reject: (e: EdgeRequestError) => void;
  timer?: NodeJS.Timeout;
  sendTimer?: NodeJS.Timeout;
  sent: boolean;
}

/** Counters of one client, for reports and tests. */
export interface EdgeClientCounters {
  readonly connects: number;
  readonly sent: number;
  readonly answered: number;
  readonly failed: Readonly<Record<string, number>>;
  /** Responses that came after their request had timed out (ignored). */
  readonly late: number;
  /**
   * JPEG bytes of the requests the edge received: those it answered, with detections or with an error
   * of its own (`busy`, `model_unknown`, …). Requests that failed on the device's side (`disconnected`,
   * `timeout`, `busy_local`, `closed`) are not counted: nothing says they arrived.
   */
  readonly imageBytesDelivered: number;
}

/**
 * Device-side client of an edge server. Connects (and reconnects) with exponential backoff and
 * jitter, authenticates with `hello`, sends `detect` requests and resolves them with the edge's
 * answer. Requests in flight when the connection drops are rejected with `disconnected` and never
 * re-sent. `detect()` at the in-flight cap rejects at once with `busy_local`; while disconnected it
 * rejects at once with `disconnected`. Errors are {@link EdgeRequestError}s; nothing is thrown
 * synchronously and a dead edge never stops the client: it reconnects in the background.
 */
export class EdgeClient {
  readonly #o: ReturnType<typeof resolveEdgeClientOptions>;
  readonly #log;
  readonly #state = new BehaviorSubject<ConnectionState>('idle');
  readonly #results = new Subject<EdgeResponse>();
  readonly #failures = new Subject<EdgeRequestError>();
  readonly #pending = new Map<number, Pending>();
  readonly #estimator: ChannelEstimator;
  readonly #failed = new Map<string, number>();
  #ws: WebSocket | null = null;
  #welcome: WelcomeMessage | null = null;
  #attempt = 0;
  #nextId = 0;
  #reconnectTimer?: NodeJS.Timeout;
  #deadTimer?: NodeJS.Timeout;
  #refusal: string | null = null;
  #closing: Promise<void> | null = null;
  #connects = 0;
  #sent = 0;
  #answered = 0;
  #late = 0;
  #imageBytesDelivered = 0;
  #waiters = new Set<{ resolve: () => void; reject: (e: Error) => void }>();

  /** Validates options; call {@link EdgeClient.start} (or use {@link EdgeClient.connect}) to connect. */
  constructor(options: EdgeClientOptions) {
    this.#o = resolveEdgeClientOptions(options);
    this.#log = this.#o.logger ?? silentLogger;
    this.#estimator = new ChannelEstimator(this.#o.ewmaAlpha);
  }

  /**
   * Creates a client and waits until it is connected and welcomed (retrying with backoff) for up
   * to `timeoutMs` (default 10000). Rejects with `unauthorized` when the server refuses the token,
   * or with `disconnected` on timeout; the client is closed in both cases.
   */
  static async connect(options: EdgeClientOptions, timeoutMs = 10_000): Promise<EdgeClient> {
    const client = new EdgeClient(options).start();
    try {
      await client.ready(timeoutMs);
      return client;
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  /** Starts connecting in the background. Idempotent. Returns this. */
  start(): this {
    if (this.#state.value === 'idle') this.#connect();
    return this;
  }

  /**
   * Resolves when the client is open (at once if it is); rejects on refusal (at once when the edge has
   * already refused this client's token), close or timeout.
   */
  ready(timeoutMs = 10_000): Promise<void> {
    if (this.#state.value === 'open') return Promise.resolve();
    if (this.#state.value === 'closed') return Promise.reject(new EdgeRequestError('closed', 'client is closed'));
    if (this.#refusal) return Promise.reject(new EdgeRequestError('unauthorized', `edge refused this client: ${this.#refusal}`));
    return new Promise<void>((resolve, reject) => {
      const w = {
        resolve: () => {
          clearTimeout(timer);
          this.#waiters.delete(w);
          resolve();
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          this.#waiters.delete(w);
          reject(e);
        },
      };
      const timer = setTimeout(() => w.reject(new EdgeRequestError('disconnected', `not connected to ${this.#o.url} within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.add(w);
    });
  }

  /** Current connection state. */
  get state(): ConnectionState {
    return this.#state.value;
  }

  /** Connection state changes (replays the current state on subscribe; completes on close). */
  get state$(): Observable<ConnectionState> {
    return this.#state.asObservable();
  }

  /** Every answered request, in arrival order. Completes on close; never errors. */
  get results$(): Observable<EdgeResponse> {
    return this.#results.asObservable();
  }

  /** Every failed request (server error, timeout, disconnect, busy_local…). Completes on close. */
  get failures$(): Observable<EdgeRequestError> {
    return this.#failures.asObservable();
  }

  /** The server's `welcome` of the current connection (models, limits), or null when not open. */
  get welcome(): WelcomeMessage | null {
    return this.#welcome;
  }

  /** Requests sent (or being shaped) and not yet settled. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** Running EWMA estimates of uplink throughput, network RTT and edge queue wait. */
  estimates(): ChannelEstimates {
    return this.#estimator.snapshot(this.#pending.size);
  }

  /** Counters since construction. */
  counters(): EdgeClientCounters {
    return { connects: this.#connects, sent: this.#sent, answered: this.#answered, failed: Object.fromEntries(this.#failed), late: this.#late, imageBytesDelivered: this.#imageBytesDelivered };
  }

  /**
   * Sends a JPEG for detection. Resolves with the edge's detections (in the JPEG's pixels) and
   * timings; rejects with an {@link EdgeRequestError}: `busy_local` (at maxInFlight, nothing sent),
   * `disconnected` (not connected, or dropped while in flight; never re-sent), `timeout`, `closed`,
   * or a server code (`busy`, `too_large`, `deadline`, `model_unknown`, `bad_image`, …).
   */
  detect(jpeg: Uint8Array, meta: DetectMeta): Promise<EdgeResponse> {
    try {
      return this.#detect(jpeg, meta);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #detect(jpeg: Uint8Array, meta: DetectMeta): Promise<EdgeResponse> {
    const frameIndex = meta?.frameIndex ?? NO_FRAME;
    if (this.#state.value === 'closed' || this.#closing) return this.#rejectNow('closed', 'client is closed', frameIndex);
    if (!(jpeg instanceof Uint8Array) || jpeg.length === 0) throw new ValidationError(`jpeg: expected non-empty bytes, got ${describeValue(jpeg)}`);
    if (!Number.isInteger(frameIndex) || frameIndex < NO_FRAME) throw new ValidationError(`meta.frameIndex: expected an integer ≥ 0, got ${describeValue(meta?.frameIndex)}`);
    if (!Number.isFinite(meta.captureMs)) throw new ValidationError(`meta.captureMs: expected a finite number, got ${describeValue(meta.captureMs)}`);
    const ws = this.#ws;
    if (this.#state.value !== 'open' || !ws) {
      return this.#refusal
        ? this.#rejectNow('unauthorized', `edge refused this client: ${this.#refusal}`, frameIndex)
        : this.#rejectNow('disconnected', `not connected to ${this.#o.url} (state ${this.#state.value})`, frameIndex);
    }
    if (this.#pending.size >= this.#o.maxInFlight) {
      return this.#rejectNow('busy_local', `${this.#pending.size} requests in flight (maxInFlight ${this.#o.maxInFlight})`, frameIndex);
    }
    this.#nextId = this.#nextId >= 0xffffffff ? 1 : this.#nextId + 1;
    const id = this.#nextId;
    const options: DetectOptions = {
      ...(meta.model !== undefined ? { model: meta.model } : {}),
      ...(meta.deadlineMs !== undefined ? { deadlineMs: meta.deadlineMs } : {}),
      ...(meta.minScore !== undefined ? { minScore: meta.minScore } : {}),
    };
    const bytes = encodeMessage({ type: 'detect', requestId: id, frameIndex, captureMs: meta.captureMs, options, image: jpeg });
    return new Promise<EdgeResponse>((resolve, reject) => {
      const p: Pending = { id, frameIndex, model: meta.model, createdAt: performance.now(), bytes: bytes.length, imageBytes: jpeg.length, ws, resolve, reject, sent: false };
      this.#pending.set(id, p);
      p.timer = setTimeout(() => this.#fail(p, new EdgeRequestError('timeout', `no answer within ${this.#o.requestTimeoutMs} ms`, id, frameIndex), true), this.#o.requestTimeoutMs);
      const sendNow = (): void => {
        p.sendTimer = undefined;
        if (this.#ws !== ws || ws.readyState !== WebSocket.OPEN) {
          this.#fail(p, new EdgeRequestError('disconnected', 'connection lost before the request was sent', id, frameIndex));
          return;
        }
        p.sent = true;
        this.#sent++;
        ws.send(bytes);
      };
      const delay = this.#o.shaper?.uplinkDelayMs(bytes.length) ?? 0;
      if (delay >= 1) p.sendTimer = setTimeout(sendNow, delay);
      else sendNow();
    });
  }

  /**
   * Asks the edge for its statistics (the server's metrics snapshot plus its models). Rejects with
   * `disconnected` when not connected or when the connection drops, `timeout` after requestTimeoutMs.
   */
  stats(): Promise<Readonly<Record<string, unknown>>> {
    const ws = this.#ws;
    if (this.#state.value !== 'open' || !ws) return Promise.reject(new EdgeRequestError('disconnected', `not connected to ${this.#o.url}`));
    this.#nextId = this.#nextId >= 0xffffffff ? 1 : this.#nextId + 1;
    const id = this.#nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#statsWaiters.delete(id);
        reject(new EdgeRequestError('timeout', `no stats within ${this.#o.requestTimeoutMs} ms`, id));
      }, this.#o.requestTimeoutMs);
      this.#statsWaiters.set(id, { ws, resolve: (v) => { clearTimeout(timer); resolve(v); }, reject: (e) => { clearTimeout(timer); reject(e); } });
      ws.send(encodeMessage({ type: 'stats', requestId: id, frameIndex: NO_FRAME, captureMs: 0, stats: null }));
    });
  }

  readonly #statsWaiters = new Map<number, { ws: WebSocket; resolve: (s: Readonly<Record<string, unknown>>) => void; reject: (e: EdgeRequestError) => void }>();

  /** Graceful close: fails pending requests with `closed`, closes the socket, completes the observables. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearTimeout(this.#reconnectTimer);
      clearTimeout(this.#deadTimer);
      for (const p of [...this.#pending.values()]) this.#fail(p, new EdgeRequestError('closed', 'client closed', p.id, p.frameIndex));
      for (const w of [...this.#waiters]) w.reject(new EdgeRequestError('closed', 'client closed'));
      for (const [id, w] of this.#statsWaiters) w.reject(new EdgeRequestError('closed', 'client closed', id));
      this.#statsWaiters.clear();
      const ws = this.#ws;
      this.#ws = null;
      if (ws && ws.readyState !== WebSocket.CLOSED) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            ws.terminate();
            resolve();
          }, 1000);
          ws.once('close', () => {
            clearTimeout(t);
            resolve();
          });
          if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
          else ws.close(CLOSE_CODES.normal, 'client closed');
        });
      }
      this.#state.next('closed');
      this.#state.complete();
      this.#results.complete();
      this.#failures.complete();
    })();
    return this.#closing;
  }

  // ---- internals ----

  #rejectNow(code: EdgeRequestError['code'], message: string, frameIndex: number): Promise<never> {
    const err = new EdgeRequestError(code, message, 0, frameIndex);
    this.#count(code);
    if (!this.#failures.closed) this.#failures.next(err);
    return Promise.reject(err);
  }

  #count(code: string): void {
    this.#failed.set(code, (this.#failed.get(code) ?? 0) + 1);
  }

  #fail(p: Pending, err: EdgeRequestError, timedOut = false): void {
    if (this.#pending.get(p.id) !== p) return;
    this.#pending.delete(p.id);
    clearTimeout(p.timer);
    clearTimeout(p.sendTimer);
    if (timedOut) {
      this.#timedOut.add(p.id);
      if (this.#timedOut.size > 4096) this.#timedOut.delete(this.#timedOut.values().next().value!);
    }
    this.#count(err.code);
    p.reject(err);
    if (!this.#failures.closed) this.#failures.next(err);
  }

  /** Ids that timed out, to recognise (and count) late answers; bounded. */
  readonly #timedOut = new Set<number>();

  #setState(s: ConnectionState): void {
    if (this.#state.value !== s && !this.#state.closed) this.#state.next(s);
  }

  #connect(): void {
    if (this.#closing) return;
    this.#setState('connecting');
    const ws = new WebSocket(this.#o.url, { handshakeTimeout: this.#o.connectTimeoutMs, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    this.#ws = ws;
    const attemptTimer = setTimeout(() => {
      if (this.#ws === ws && this.#state.value !== 'open') {
        this.#log.warn('connect attempt timed out', { url: this.#o.url });
        ws.terminate();
      }
    }, this.#o.connectTimeoutMs);
    ws.on('open', () => {
      ws.send(encodeMessage({ type: 'hello', requestId: 0, frameIndex: NO_FRAME, captureMs: 0, protocol: PROTOCOL_VERSION, token: this.#o.token, name: this.#o.name }));
    });
    ws.on('message', (data, isBinary) => {
      if (this.#ws === ws && isBinary) this.#onMessage(ws, data);
    });
    ws.on('ping', () => this.#armDeadTimer(ws));
    ws.on('error', (err) => this.#log.debug('socket error', { url: this.#o.url, error: err.message }));
    ws.on('close', (code, reason) => {
      clearTimeout(attemptTimer);
      this.#onClose(ws, code, reason.toString());
    });
  }

  #armDeadTimer(ws: WebSocket): void {
    clearTimeout(this.#deadTimer);
    const hb = this.#welcome?.limits.heartbeatMs;
    if (!hb) return;
    this.#deadTimer = setTimeout(() => {
      if (this.#ws === ws) {
        this.#log.warn('no heartbeat from edge, reconnecting', { url: this.#o.url });
        ws.terminate();
      }
    }, 2 * hb + 1000);
  }

  #onMessage(ws: WebSocket, data: RawData): void {
    let msg;
    try {
      msg = decodeMessage(data as Buffer);
    } catch (err) {
      this.#log.warn('undecodable message from edge', { error: (err as Error).message });
      return;
    }
    switch (msg.type) {
      case 'welcome': {
        this.#welcome = msg;
        this.#attempt = 0;
        this.#refusal = null;
        this.#connects++;
        this.#setState('open');
        this.#armDeadTimer(ws);
        for (const w of [...this.#waiters]) w.resolve();
        return;
      }
      case 'detections': {
        const p = this.#pending.get(msg.requestId);
        if (!p) {
          if (this.#timedOut.delete(msg.requestId)) this.#late++;
          return;
        }
        this.#pending.delete(p.id);
        clearTimeout(p.timer);
        this.#imageBytesDelivered += p.imageBytes;
        const deliver = (): void => {
          const roundTripMs = performance.now() - p.createdAt;
          this.#estimator.add(p.bytes, roundTripMs, msg.timings.totalMs, msg.timings.queueMs);
          this.#answered++;
          const r: EdgeResponse = {
            requestId: msg.requestId, frameIndex: msg.frameIndex, captureMs: msg.captureMs, model: p.model,
            width: msg.width, height: msg.height, detections: msg.detections, timings: msg.timings, roundTripMs, bytesSent: p.bytes,
          };
          p.resolve(r);
          if (!this.#results.closed) this.#results.next(r);
        };
        const down = this.#o.shaper?.downlinkDelayMs() ?? 0;
        if (down >= 1) setTimeout(deliver, down);
        else deliver();
        return;
      }
      case 'stats': {
        const w = this.#statsWaiters.get(msg.requestId);
        if (w && msg.stats) {
          this.#statsWaiters.delete(msg.requestId);
          w.resolve(msg.stats);
        }
        return;
      }
      case 'error': {
        if (msg.requestId !== 0) {
          const p = this.#pending.get(msg.requestId);
          if (p) {
            this.#imageBytesDelivered += p.imageBytes;
            this.#fail(p, new EdgeRequestError(msg.code, msg.message, msg.requestId, p.frameIndex));
          }
          else if (this.#timedOut.delete(msg.requestId)) this.#late++;
          return;
        }
        if (msg.code === 'unauthorized') this.#refusal = msg.message;
        this.#log.warn('edge error', { code: msg.code, message: msg.message });
        return;
      }
      default:
        return;
    }
  }

  #onClose(ws: WebSocket, code: number, reason: string): void {
    if (this.#ws !== ws) return;
    this.#ws = null;
    this.#welcome = null;
    clearTimeout(this.#deadTimer);
    for (const p of [...this.#pending.values()]) {
      const what = p.sent ? 'connection dropped while the request was in flight' : 'connection dropped before the request was sent';
      this.#fail(p, new EdgeRequestError('disconnected', `${what} (close ${code}${reason ? `: ${reason}` : ''}); not re-sent`, p.id, p.frameIndex));
    }
    for (const [id, w] of this.#statsWaiters) {
      if (w.ws !== ws) continue;
      this.#statsWaiters.delete(id);
      w.reject(new EdgeRequestError('disconnected', 'connection dropped before the stats answer', id));
    }
    if (this.#closing) return;
    if (code === CLOSE_CODES.unauthorized) {
      this.#refusal = reason || 'unauthorized';
      for (const w of [...this.#waiters]) w.reject(new EdgeRequestError('unauthorized', `edge refused this client: ${this.#refusal}`));
    }
    const delay = backoffDelay(this.#attempt++, this.#o.backoff, this.#o.random);
    this.#log.info('disconnected, will reconnect', { url: this.#o.url, code, reason, delayMs: Math.round(delay) });
    this.#setState('backoff');
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }
}
