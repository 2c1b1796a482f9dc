/** Histogram bucket upper bounds (ms) for latency metrics. */
export const LATENCY_BUCKETS_MS = Object.freeze([1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000, 2000, 5000]);

/** A cumulative histogram in the Prometheus sense, plus exact count/sum. */
class Histogram {
  readonly counts = new Array<number>(LATENCY_BUCKETS_MS.length).fill(0);
  count = 0;
  sum = 0;
  observe(v: number): void {
    this.count++;
    this.sum += v;
    for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) if (v <= LATENCY_BUCKETS_MS[i]) this.counts[i]++;
  }
  /** Value below which `q` of observations fall, interpolated within the bucket (NaN when empty). */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = q * this.count;
    let prevBound = 0;
    let prevCount = 0;
    for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) {
      if (this.counts[i] >= rank) {
        const inBucket = this.counts[i] - prevCount;
        const frac = inBucket === 0 ? 1 : (rank - prevCount) / inBucket;
        return prevBound + frac * (LATENCY_BUCKETS_MS[i] - prevBound);
      }
      prevBound = LATENCY_BUCKETS_MS[i];
      prevCount = this.counts[i];
    }
    return Infinity;
  }
}

/** Plain-object view of the server's counters (what `/metrics` prints, for programs and tests). */
export interface EdgeMetricsSnapshot {
  readonly connections: number;
  readonly clients: number;
  readonly requests: number;
  readonly responses: number;
  readonly bytesReceived: number;
  readonly errorsByCode: Readonly<Record<string, number>>;
  readonly droppedByReason: Readonly<Record<string, number>>;
  readonly refusedConnectionsByReason: Readonly<Record<string, number>>;
  readonly disconnectsByReason: Readonly<Record<string, number>>;
  readonly queueDepth: number;
  readonly inService: number;
  readonly inference: { readonly count: number; readonly meanMs: number; readonly p50Ms: number; readonly p95Ms: number };
  readonly queueWait: { readonly count: number; readonly meanMs: number; readonly p50Ms: number; readonly p95Ms: number };
}

/**
 * Counters, gauges and histograms of one edge server. The server updates them; `/metrics` renders
 * them in the Prometheus text format (version 0.0.4) via {@link EdgeMetrics.toPrometheus}.
 */
export class EdgeMetrics {
  /** WebSocket connections accepted since start. */
  connections = 0;
  /** Authenticated clients connected now. */
  clients = 0;
  /** `detect` messages received (any outcome). */
  requests = 0;
  /** `detections` responses sent. */
  responses = 0;
  /** Bytes of binary messages received (text frames are refused and not counted). */
  bytesReceived = 0;
  /** Requests queued now (not yet started). */
  queueDepth = 0;
  /** Requests running on a detector now. */
  inService = 0;
  /**
   * Event-loop delay of the server process over the last complete window (default 5 s), ms: how
   * long a ready socket or timer may have waited. Set by the server; NaN until the first window.
   */
  eventLoopDelay = { p50Ms: NaN, p99Ms: NaN, maxMs: NaN };
  readonly #errors = new Map<string, number>();
  readonly #dropped = new Map<string, number>();
  readonly #refused = new Map<string, number>();
  readonly #disconnects = new Map<string, number>();
  readonly #inference = new Map<string, Histogram>();
  readonly #queueWait = new Histogram();
  readonly #total = new Histogram();

  /** Counts one connection refused before it became a WebSocket (`too_many_clients`, …). */
  refusedConnection(reason: string): void {
    this.#refused.set(reason, (this.#refused.get(reason) ?? 0) + 1);
  }

  /** Counts one connection the server cut (`slow_consumer`, `heartbeat`, `too_big_before_hello`, `hello_timeout`, `unauthorized`). */
  disconnect(reason: string): void {
    this.#disconnects.set(reason, (this.#disconnects.get(reason) ?? 0) + 1);
  }

  /** Counts one `error` message handed to an open socket, with `code`. */
  error(code: string): void {
    this.#errors.set(code, (this.#errors.get(code) ?? 0) + 1);
  }

  /** Counts a request dropped without an answer because its client was gone (`reason`). */
  dropped(reason: string): void {
    this.#dropped.set(reason, (this.#dropped.get(reason) ?? 0) + 1);
  }

  /** Records one served request. */
  served(model: string, inferenceMs: number, queueMs: number, totalMs: number): void {
    this.responses++;
    let h = this.#inference.get(model);
    if (!h) this.#inference.set(model, (h = new Histogram()));
    h.observe(inferenceMs);
    this.#queueWait.observe(queueMs);
    this.#total.observe(totalMs);
  }

  /** A plain snapshot of every value. */
  snapshot(): EdgeMetricsSnapshot {
    const all = new Histogram();
    for (const h of this.#inference.values()) {
      all.count += h.count;
      all.sum += h.sum;
      h.counts.forEach((c, i) => (all.counts[i] += c));
    }
    const summary = (h: Histogram) => ({
      count: h.count,
      meanMs: h.count ? h.sum / h.count : NaN,
      p50Ms: h.quantile(0.5),
      p95Ms: h.quantile(0.95),
    });
    return {
      connections: this.connections,
      clients: this.clients,
      requests: this.requests,
      responses: this.responses,
      bytesReceived: this.bytesReceived,
      errorsByCode: Object.fromEntries(this.#errors),
      droppedByReason: Object.fromEntries(this.#dropped),
      refusedConnectionsByReason: Object.fromEntries(this.#refused),
      disconnectsByReason: Object.fromEntries(this.#disconnects),
      queueDepth: this.queueDepth,
      inService: this.inService,
      inference: summary(all),
      queueWait: summary(this.#queueWait),
    };
  }

  /** Total `error` messages sent. */
  get errors(): number {
    let n = 0;
    for (const v of this.#errors.values()) n += v;
    return n;
  }

  /** The Prometheus text exposition of every metric, prefixed `edgetrack_edge_`. */
  toPrometheus(): string {
    const out: string[] = [];
    const p = 'edgetrack_edge_';
    const metric = (name: string, type: string, help: string, lines: string[]): void => {
      out.push(`# HELP ${p}${name} ${help}`, `# TYPE ${p}${name} ${type}`, ...lines);
    };
    metric('connections_total', 'counter', 'WebSocket connections accepted.', [`${p}connections_total ${this.connections}`]);
    metric('clients', 'gauge', 'Authenticated clients connected.', [`${p}clients ${this.clients}`]);
    metric('requests_total', 'counter', 'detect messages received.', [`${p}requests_total ${this.requests}`]);
    metric('responses_total', 'counter', 'detections responses sent.', [`${p}responses_total ${this.responses}`]);
    metric('received_bytes_total', 'counter', 'Bytes of binary messages received.', [`${p}received_bytes_total ${this.bytesReceived}`]);
    metric('errors_total', 'counter', 'error messages sent, by code.',
      [...this.#errors].map(([code, n]) => `${p}errors_total{code="${esc(code)}"} ${n}`));
    metric('dropped_total', 'counter', 'Requests dropped unanswered because the client was gone.',
      [...this.#dropped].map(([r, n]) => `${p}dropped_total{reason="${esc(r)}"} ${n}`));
    metric('refused_connections_total', 'counter', 'Connections refused before the WebSocket upgrade (HTTP 503), by reason.',
      [...this.#refused].map(([r, n]) => `${p}refused_connections_total{reason="${esc(r)}"} ${n}`));
    metric('disconnects_total', 'counter', 'Connections the server cut, by reason.',
      [...this.#disconnects].map(([r, n]) => `${p}disconnects_total{reason="${esc(r)}"} ${n}`));
    metric('event_loop_delay_ms', 'gauge', 'Event-loop delay over the last window, ms (quantile 1 = max).', [
      `${p}event_loop_delay_ms{quantile="0.5"} ${this.eventLoopDelay.p50Ms}`,
      `${p}event_loop_delay_ms{quantile="0.99"} ${this.eventLoopDelay.p99Ms}`,
      `${p}event_loop_delay_ms{quantile="1"} ${this.eventLoopDelay.maxMs}`,
    ]);
    metric('queue_depth', 'gauge', 'Requests waiting in the queue.', [`${p}queue_depth ${this.queueDepth}`]);
    metric('in_service', 'gauge', 'Requests running on a detector.', [`${p}in_service ${this.inService}`]);
    const hist = (name: string, help: string, entries: [string, Histogram][]): void => {
      const lines: string[] = [];
      for (const [label, h] of entries) {
        const l = label ? `${label},` : '';
        LATENCY_BUCKETS_MS.forEach((b, i) => lines.push(`${p}${name}_bucket{${l}le="${b}"} ${h.counts[i]}`));
        lines.push(`${p}${name}_bucket{${l}le="+Inf"} ${h.count}`);
        const braces = label ? `{${label}}` : '';
        lines.push(`${p}${name}_sum${braces} ${h.sum}`, `${p}${name}_count${braces} ${h.count}`);
      }
      metric(name, 'histogram', help, lines);
    };
    hist('inference_ms', 'Detector inference time in ms, by model.',
      [...this.#inference].map(([m, h]) => [`model="${esc(m)}"`, h] as [string, Histogram]));
    hist('queue_ms', 'Time requests waited in the queue, ms.', [['', this.#queueWait]]);
    hist('edge_ms', 'Edge residence time (received to answered), ms.', [['', this.#total]]);
    out.push('# HELP process_resident_memory_bytes Resident memory size in bytes.', '# TYPE process_resident_memory_bytes gauge', `process_resident_memory_bytes ${process.memoryUsage.rss()}`);
    return `${out.join('\n')}\n`;
  }
}

/** Escapes a Prometheus label value. */
function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
