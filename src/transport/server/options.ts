import type { ObjectDetector } from '../../core/index.js';
import { ValidationError, describeValue } from '../../core/index.js';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../../detector/image-header.js';
import type { Logger } from './logger.js';

/** Options of {@link import('./edge-server.js').startEdgeServer}. Every default is in {@link EDGE_SERVER_DEFAULTS}. */
export interface EdgeServerOptions {
  /** Interface to listen on. Default `127.0.0.1` (loopback only). */
  readonly host?: string;
  /** TCP port; 0 picks a free one. Default 0. */
  readonly port?: number;
  /**
   * Detectors to serve: ready {@link ObjectDetector}s (the caller keeps ownership and closes them)
   * and/or model names created with `Detector.create({ model })` from `src/detector` (the server
   * owns and closes those). The first one's name is the default model. Duplicate names = replicas
   * that serve the same model in parallel.
   */
  readonly detectors: readonly (ObjectDetector | string)[];
  /** Options merged into `Detector.create` for named models (e.g. `{ threads: 2 }`). */
  readonly detectorOptions?: Readonly<Record<string, unknown>>;
  /** Shared secret clients must send in `hello`. Undefined/empty = no authentication. */
  readonly token?: string;
  /** Largest image in a `detect` message, bytes. Larger → `too_large` error. Default 4 MiB. */
  readonly maxPayload?: number;
  /**
   * Largest WebSocket message the socket accepts at all; bigger frames make `ws` close the
   * connection with 1009. Default 2 × maxPayload + 64 KiB.
   */
  readonly hardMaxPayload?: number;
  /** Requests waiting over all clients; more → `busy`. Default 64. */
  readonly globalQueue?: number;
  /** Requests one client may have waiting or running; more → `busy`. Default 4. */
  readonly perClientQueue?: number;
  /** A request that has not started this many ms after arrival fails with `deadline`. Default 2000. */
  readonly deadlineMs?: number;
  /** Ping interval, ms; a client that has not answered the previous ping is dropped. Default 10000. */
  readonly heartbeatMs?: number;
  /** Time a new connection has to send `hello`, ms. Default 5000. */
  readonly helloTimeoutMs?: number;
  /** On close(): how long in-service requests may take to finish before sockets close, ms. Default 5000. */
  readonly shutdownGraceMs?: number;
  /**
   * Largest image a `detect` may carry, pixels, as declared by its JPEG/PNG header (read before any
   * decoding). Larger → `too_large`. Default 3840 × 2160 (4K UHD, 8,294,400).
   */
  readonly maxImagePixels?: number;
  /**
   * Answers waiting to be written to one client, bytes (`ws.bufferedAmount`). A client over it is not
   * reading: it is dropped with close code 4004. Default 1 MiB.
   */
  readonly maxOutboundBytes?: number;
  /** Per-client rate: messages per second refilled into its token bucket. Default 200. */
  readonly requestsPerSecond?: number;
  /** Per-client burst: token-bucket capacity in messages. Default 200. */
  readonly requestBurst?: number;
  /** Per-client rate: message bytes per second refilled into its byte bucket. Default 64 MiB. */
  readonly bytesPerSecond?: number;
  /** Per-client burst in bytes. Default max(bytesPerSecond, hardMaxPayload) (one largest message always fits). */
  readonly byteBurst?: number;
  /** WebSocket connections at once (authenticated or not); more → HTTP 503 at the upgrade. Default 128. */
  readonly maxClients?: number;
  /** WebSocket connections at once from one remote address; more → HTTP 503. Default 32. */
  readonly maxClientsPerIp?: number;
  /** TCP connections at once (WebSocket + HTTP); more are closed by the kernel accept loop at once. Default 2 × maxClients. */
  readonly maxConnections?: number;
  /** A TCP connection must complete its first HTTP request or WebSocket upgrade within this, ms. Default 5000. */
  readonly handshakeTimeoutMs?: number;
  /** When non-empty, `/healthz` and `/metrics` require `Authorization: Bearer <statusToken>` (else 401). Default '' (open). */
  readonly statusToken?: string;
  /**
   * Serve `/healthz` and `/metrics` on a separate listener at this port (0 = any free port) instead
   * of the WebSocket port, e.g. bound to an internal interface with `statusHost`. Default: same port.
   */
  readonly statusPort?: number;
  /** Interface of the separate status listener. Default: `host`. */
  readonly statusHost?: string;
  /** Structured logger. Default: JSON lines on stderr at level `EDGETRACK_LOG_LEVEL` or `info`. */
  readonly logger?: Logger;
}

/** Defaults of {@link EdgeServerOptions} (`detectors` has none). */
export const EDGE_SERVER_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  token: '',
  maxPayload: 4 * 1024 * 1024,
  globalQueue: 64,
  perClientQueue: 4,
  deadlineMs: 2000,
  heartbeatMs: 10_000,
  helloTimeoutMs: 5000,
  shutdownGraceMs: 5000,
  maxImagePixels: DEFAULT_MAX_IMAGE_PIXELS,
  maxOutboundBytes: 1024 * 1024,
  requestsPerSecond: 200,
  requestBurst: 200,
  bytesPerSecond: 64 * 1024 * 1024,
  maxClients: 128,
  maxClientsPerIp: 32,
  handshakeTimeoutMs: 5000,
  statusToken: '',
});

/** Fully resolved and validated options. */
export type ResolvedEdgeServerOptions = Required<Omit<EdgeServerOptions, 'logger' | 'detectorOptions' | 'statusPort' | 'statusHost'>> & {
  readonly detectorOptions: Readonly<Record<string, unknown>>;
  /** Separate status listener, or null = /healthz and /metrics on the WebSocket port. */
  readonly status: { readonly host: string; readonly port: number } | null;
};

function int(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${field}: expected an integer in [${min}, ${max}], got ${describeValue(value)}`, { field, value });
  }
  return value;
}

/** Merges defaults and checks every field once; throws ValidationError naming the field. */
export function resolveEdgeServerOptions(options: EdgeServerOptions): ResolvedEdgeServerOptions {
  if (typeof options !== 'object' || options === null) throw new ValidationError(`options: expected an object, got ${describeValue(options)}`);
  const o = { ...EDGE_SERVER_DEFAULTS, ...options };
  if (typeof o.host !== 'string' || o.host === '') throw new ValidationError(`host: expected a non-empty string, got ${describeValue(o.host)}`);
  int(o.port, 'port', 0, 65535);
  if (!Array.isArray(o.detectors) || o.detectors.length === 0) {
    throw new ValidationError(`detectors: expected a non-empty array of ObjectDetector or model names, got ${describeValue(o.detectors)}`);
  }
  o.detectors.forEach((d, i) => {
    const ok = (typeof d === 'string' && d.length > 0) || (typeof d === 'object' && d !== null && typeof d.detect === 'function' && typeof d.name === 'string');
    if (!ok) throw new ValidationError(`detectors[${i}]: expected an ObjectDetector or a model name, got ${describeValue(d)}`);
  });
  if (typeof o.token !== 'string') throw new ValidationError(`token: expected a string, got ${describeValue(o.token)}`);
  int(o.maxPayload, 'maxPayload', 1);
  const hardMaxPayload = options.hardMaxPayload ?? 2 * o.maxPayload + 65536;
  int(hardMaxPayload, 'hardMaxPayload', o.maxPayload + 65536 + 26);
  int(o.globalQueue, 'globalQueue', 1);
  int(o.perClientQueue, 'perClientQueue', 1);
  int(o.deadlineMs, 'deadlineMs', 1);
  int(o.heartbeatMs, 'heartbeatMs', 10);
  int(o.helloTimeoutMs, 'helloTimeoutMs', 1);
  int(o.shutdownGraceMs, 'shutdownGraceMs', 0);
  int(o.maxImagePixels, 'maxImagePixels', 1);
  int(o.maxOutboundBytes, 'maxOutboundBytes', 1024);
  int(o.requestsPerSecond, 'requestsPerSecond', 1);
  int(o.requestBurst, 'requestBurst', 1);
  int(o.bytesPerSecond, 'bytesPerSecond', 1);
  const byteBurst = options.byteBurst ?? Math.max(o.bytesPerSecond, hardMaxPayload);
  int(byteBurst, 'byteBurst', 1);
  int(o.maxClients, 'maxClients', 1);
  int(o.maxClientsPerIp, 'maxClientsPerIp', 1);
  const maxConnections = options.maxConnections ?? 2 * o.maxClients;
  int(maxConnections, 'maxConnections', o.maxClients);
  int(o.handshakeTimeoutMs, 'handshakeTimeoutMs', 1);
  if (typeof o.statusToken !== 'string') throw new ValidationError(`statusToken: expected a string, got ${describeValue(o.statusToken)}`);
  let status: ResolvedEdgeServerOptions['status'] = null;
  if (options.statusPort !== undefined || options.statusHost !== undefined) {
    const statusHost = options.statusHost ?? o.host;
    if (typeof statusHost !== 'string' || statusHost === '') throw new ValidationError(`statusHost: expected a non-empty string, got ${describeValue(statusHost)}`);
    status = { host: statusHost, port: int(options.statusPort ?? 0, 'statusPort', 0, 65535) };
  }
  const { statusPort: _p, statusHost: _h, logger: _l, ...rest } = o as EdgeServerOptions & typeof o;
  return { ...rest, hardMaxPayload, byteBurst, maxConnections, status, detectorOptions: options.detectorOptions ?? {} } as ResolvedEdgeServerOptions;
}
