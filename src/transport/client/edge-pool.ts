import { merge, type Observable } from 'rxjs';
import { ValidationError } from '../../core/index.js';
import { EdgeClient, type DetectMeta, type EdgeResponse } from './edge-client.js';
import { EdgeRequestError } from './errors.js';
import type { EdgeClientOptions } from './options.js';

/** Options of {@link EdgePool}: one client per URL, the rest shared. */
export interface EdgePoolOptions extends Omit<EdgeClientOptions, 'url'> {
  /** Edge server URLs (≥ 1). */
  readonly urls: readonly string[];
}

/**
 * Several edge servers behind one `detect()`: each request goes to the open edge with the lowest
 * expected wait — (network RTT + edge residence) EWMA × (1 + requests in flight there) — among
 * those below `maxInFlight`. Edges that are down
 * are skipped while their clients reconnect in the background. Rejects with `disconnected` when no
 * edge is open and `busy_local` when every open edge is at its cap.
 */
export class EdgePool {
  readonly clients: readonly EdgeClient[];
  readonly #maxInFlight: number;

  constructor(options: EdgePoolOptions) {
    const { urls, ...rest } = options;
    if (!Array.isArray(urls) || urls.length === 0) throw new ValidationError('urls: expected a non-empty array of ws:// URLs');
    this.clients = Object.freeze(urls.map((url) => new EdgeClient({ ...rest, url })));
    this.#maxInFlight = rest.maxInFlight ?? 1;
  }

  /** Starts every client (non-blocking). Returns this. */
  start(): this {
    for (const c of this.clients) c.start();
    return this;
  }

  /** Answers of every edge, merged. */
  get results$(): Observable<EdgeResponse> {
    return merge(...this.clients.map((c) => c.results$));
  }

  /** Sends to the best edge now (see class doc). */
  detect(jpeg: Uint8Array, meta: DetectMeta): Promise<EdgeResponse> {
    const open = this.clients.filter((c) => c.state === 'open');
    if (open.length === 0) return Promise.reject(new EdgeRequestError('disconnected', 'no edge is connected', 0, meta?.frameIndex ?? -1));
    const free = open.filter((c) => c.inFlight < this.#maxInFlight);
    if (free.length === 0) return Promise.reject(new EdgeRequestError('busy_local', 'every connected edge is at maxInFlight', 0, meta?.frameIndex ?? -1));
    let best = free[0];
    let bestScore = Infinity;
    for (const c of free) {
      const score = expectedWaitMs(c);
      if (score < bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return best.detect(jpeg, meta);
  }

  /** Closes every client. Idempotent. */
  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }
}

/** Expected wait at one edge, ms; edges without samples score 0 so they get tried. */
function expectedWaitMs(c: EdgeClient): number {
  const e = c.estimates();
  if (e.samples === 0) return c.inFlight;
  const per = e.rttMs + e.edgeMs;
  return per * (1 + c.inFlight);
}
