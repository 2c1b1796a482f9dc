import type { ObjectDetector } from '../../core/index.js';
import { ValidationError, describeValue } from '../../core/index.js';
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
});

/** Fully resolved and validated options. */
export type ResolvedEdgeServerOptions = Required<Omit<EdgeServerOptions, 'logger' | 'detectorOptions'>> & {
  readonly detectorOptions: Readonly<Record<string, unknown>>;
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
  return { ...o, hardMaxPayload, detectorOptions: options.detectorOptions ?? {} } as ResolvedEdgeServerOptions;
}
