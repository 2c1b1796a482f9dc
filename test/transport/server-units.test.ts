import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/index.js';
import { EdgeMetrics, FairQueue, createLogger, resolveEdgeServerOptions } from '../../src/transport/server/index.js';

describe('FairQueue', () => {
  it('serves clients round-robin and keeps each client FIFO', () => {
    const q = new FairQueue<string>(10, 100);
    for (const x of ['a1', 'a2', 'a3']) q.push('a', x);
    for (const x of ['b1', 'b2']) q.push('b', x);
    q.push('c', 'c1');
    const order: string[] = [];
    for (let r = q.take(() => true); r; r = q.take(() => true)) order.push(r.item);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    expect(q.size).toBe(0);
  });
  it('skips ineligible clients without reordering their items', () => {
    const q = new FairQueue<string>(10, 100);
    q.push('a', 'a1');
    q.push('a', 'a2');
    q.push('b', 'b1');
    expect(q.take((c) => c !== 'a')?.item).toBe('b1');
    expect(q.take(() => true)?.item).toBe('a1');
  });
  it('bounds per client (counting items in service) and globally', () => {
    const q = new FairQueue<number>(2, 3);
    expect(q.push('a', 1)).toBeNull();
    q.setInService('a', +1);
    expect(q.push('a', 2)).toBe('client_full'); // 1 waiting + 1 running
    q.setInService('a', -1);
    expect(q.push('a', 2)).toBeNull();
    expect(q.push('b', 1)).toBeNull();
    expect(q.push('c', 1)).toBe('global_full');
    expect(q.removeClient('a')).toEqual([1, 2]);
    expect(q.size).toBe(1);
    expect(q.removeWhere((_c, x) => x === 1).map((e) => e.client)).toEqual(['b']);
    expect(q.size).toBe(0);
  });
});

describe('EdgeMetrics', () => {
  it('renders Prometheus text with counters, labels and cumulative histogram buckets', () => {
    const m = new EdgeMetrics();
    m.requests = 3;
    m.error('busy');
    m.error('busy');
    m.error('too_large');
    m.served('nano"det', 12, 1, 15);
    m.served('nano"det', 40, 3, 45);
    const text = m.toPrometheus();
    expect(text).toContain('# TYPE edgetrack_edge_requests_total counter\nedgetrack_edge_requests_total 3');
    expect(text).toContain('edgetrack_edge_errors_total{code="busy"} 2');
    expect(text).toContain('edgetrack_edge_errors_total{code="too_large"} 1');
    expect(text).toContain('edgetrack_edge_inference_ms_bucket{model="nano\\"det",le="10"} 0');
    expect(text).toContain('edgetrack_edge_inference_ms_bucket{model="nano\\"det",le="20"} 1');
    expect(text).toContain('edgetrack_edge_inference_ms_bucket{model="nano\\"det",le="50"} 2');
    expect(text).toContain('edgetrack_edge_inference_ms_bucket{model="nano\\"det",le="+Inf"} 2');
    expect(text).toContain('edgetrack_edge_inference_ms_sum{model="nano\\"det"} 52');
    const s = m.snapshot();
    expect(s.responses).toBe(2);
    expect(s.inference.meanMs).toBe(26);
    expect(m.errors).toBe(3);
  });
});

describe('options and logger', () => {
  it('validates server options with field names', () => {
    expect(() => resolveEdgeServerOptions({ detectors: [] })).toThrow(/detectors: expected a non-empty array/);
    expect(() => resolveEdgeServerOptions({ detectors: ['x'], port: 70000 })).toThrow(/port: expected an integer in \[0, 65535\], got 70000/);
    expect(() => resolveEdgeServerOptions({ detectors: ['x'], perClientQueue: 0 })).toThrow(ValidationError);
    expect(resolveEdgeServerOptions({ detectors: ['x'], maxPayload: 1000 }).hardMaxPayload).toBe(2 * 1000 + 65536);
  });
  it('writes one JSON object per line at or above the level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', stream: { write: (l: string) => lines.push(l) }, base: { component: 't' } });
    log.info('hidden');
    log.warn('shown', { client: 'c1' });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', msg: 'shown', component: 't', client: 'c1' });
    expect(() => createLogger({ level: 'loud' as never })).toThrow(TypeError);
  });
});

describe('hostile-client limits: units', () => {
  it('TokenBucket: covers its burst, refuses beyond it, goes into bounded debt and refills at its rate', async () => {
    const { TokenBucket } = await import('../../src/transport/server/token-bucket.js');
    const b = new TokenBucket(10, 3, 3, 0); // 10/s, burst 3, debt ≤ 3
    expect([b.take(1, 0), b.take(1, 0), b.take(1, 0), b.take(1, 0)]).toEqual([true, true, true, false]);
    expect(b.waitMs(1, 0)).toBeCloseTo(200); // -1 → +1 at 10/s
    for (let i = 0; i < 10; i++) b.take(1, 0);
    expect(b.waitMs(0, 0)).toBeCloseTo(300); // debt capped at 3
    expect(b.take(1, 400)).toBe(true); // -3 + 4 = 1 token
    expect(b.take(1, 400)).toBe(false);
  });

  it('resolves the new options with defaults and names bad fields', () => {
    const o = resolveEdgeServerOptions({ detectors: ['nanodet'] });
    expect(o).toMatchObject({ maxImagePixels: 3840 * 2160, maxOutboundBytes: 1 << 20, requestsPerSecond: 200, requestBurst: 200, bytesPerSecond: 64 << 20, maxClients: 128, maxClientsPerIp: 32, maxConnections: 256, handshakeTimeoutMs: 5000, statusToken: '', status: null });
    expect(o.byteBurst).toBe(64 << 20);
    expect(resolveEdgeServerOptions({ detectors: ['nanodet'], statusPort: 0 }).status).toEqual({ host: '127.0.0.1', port: 0 });
    expect(() => resolveEdgeServerOptions({ detectors: ['nanodet'], maxImagePixels: 0 })).toThrow(/maxImagePixels: expected an integer in \[1,/);
    expect(() => resolveEdgeServerOptions({ detectors: ['nanodet'], maxClients: 4, maxConnections: 2 })).toThrow(/maxConnections/);
    expect(() => resolveEdgeServerOptions({ detectors: ['nanodet'], statusToken: 5 as unknown as string })).toThrow(/statusToken: expected a string/);
  });
});
