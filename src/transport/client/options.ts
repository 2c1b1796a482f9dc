import { ValidationError, describeValue } from '../../core/index.js';
import type { Logger } from '../server/logger.js';
import type { ShapedSender } from '../channel/shaper.js';
import { resolveBackoff, type BackoffOptions } from './backoff.js';

/** Options of {@link import('./edge-client.js').EdgeClient}. Defaults in {@link EDGE_CLIENT_DEFAULTS}. */
export interface EdgeClientOptions {
  /** Edge server URL, `ws://host:port`. Required. */
  readonly url: string;
  /** Shared secret for `hello`. Default '' (none). */
  readonly token?: string;
  /** Client name shown in server logs (≤ 64 chars). Default `edgetrack-client`. */
  readonly name?: string;
  /** Requests in flight at once; `detect()` beyond this rejects with `busy_local`. Default 1. */
  readonly maxInFlight?: number;
  /** A request without an answer after this many ms (from `detect()`) rejects with `timeout`. Default 5000. */
  readonly requestTimeoutMs?: number;
  /** Time for TCP + WebSocket handshake + hello/welcome of one attempt, ms. Default 5000. */
  readonly connectTimeoutMs?: number;
  /** Reconnect backoff. Defaults `{ initialMs: 100, maxMs: 5000, jitter: 0.5 }`. */
  readonly backoff?: BackoffOptions;
  /** Weight of the newest sample in the EWMA estimates, (0, 1]. Default 0.2. */
  readonly ewmaAlpha?: number;
  /** Optional live shaper: sends (and responses) are delayed to follow a channel trace. */
  readonly shaper?: ShapedSender;
  /** Structured logger. Default: silent. */
  readonly logger?: Logger;
  /** Source of randomness for jitter, [0, 1). Default Math.random. */
  readonly random?: () => number;
}

/** Defaults of {@link EdgeClientOptions}. */
export const EDGE_CLIENT_DEFAULTS = Object.freeze({
  token: '',
  name: 'edgetrack-client',
  maxInFlight: 1,
  requestTimeoutMs: 5000,
  connectTimeoutMs: 5000,
  ewmaAlpha: 0.2,
});

/** Checks and fills the options once. */
export function resolveEdgeClientOptions(options: EdgeClientOptions) {
  if (typeof options !== 'object' || options === null) throw new ValidationError(`options: expected an object, got ${describeValue(options)}`);
  const o = { ...EDGE_CLIENT_DEFAULTS, ...options };
  if (typeof o.url !== 'string' || !/^wss?:\/\//.test(o.url)) throw new ValidationError(`url: expected ws://host:port or wss://…, got ${describeValue(o.url)}`);
  if (typeof o.token !== 'string') throw new ValidationError(`token: expected a string, got ${describeValue(o.token)}`);
  if (typeof o.name !== 'string' || o.name.length > 64) throw new ValidationError(`name: expected a string of ≤ 64 chars, got ${describeValue(o.name)}`);
  if (!Number.isInteger(o.maxInFlight) || o.maxInFlight < 1 || o.maxInFlight > 1024) {
    throw new ValidationError(`maxInFlight: expected an integer in [1, 1024], got ${describeValue(o.maxInFlight)}`);
  }
  for (const k of ['requestTimeoutMs', 'connectTimeoutMs'] as const) {
    if (!(typeof o[k] === 'number' && o[k] > 0)) throw new ValidationError(`${k}: expected a number > 0, got ${describeValue(o[k])}`);
  }
  if (!(typeof o.ewmaAlpha === 'number' && o.ewmaAlpha > 0 && o.ewmaAlpha <= 1)) {
    throw new ValidationError(`ewmaAlpha: expected a number in (0, 1], got ${describeValue(o.ewmaAlpha)}`);
  }
  return { ...o, backoff: resolveBackoff(options.backoff), random: options.random ?? Math.random };
}
