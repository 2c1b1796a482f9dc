import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/index.js';
import { ChannelEstimator, EdgeClient, EdgeRequestError, backoffDelay, resolveBackoff } from '../../src/transport/client/index.js';

describe('backoff', () => {
  it('doubles from initialMs up to maxMs; jitter removes up to that fraction', () => {
    const o = resolveBackoff({ initialMs: 100, maxMs: 1000, jitter: 0.5 });
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, o, () => 0))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(1, o, () => 0.999999)).toBeCloseTo(100, 3); // 200 × (1 − 0.5·~1)
    expect(backoffDelay(2, resolveBackoff({ jitter: 0, initialMs: 10 }), Math.random)).toBe(40);
  });
  it('rejects contradictory options', () => {
    expect(() => resolveBackoff({ initialMs: 500, maxMs: 100 })).toThrow(/backoff.maxMs: expected a number ≥ initialMs \(500\), got 100/);
    expect(() => resolveBackoff({ jitter: 2 })).toThrow(ValidationError);
  });
});

describe('ChannelEstimator', () => {
  it('EWMA of bits per network-second, network RTT and queue wait', () => {
    const e = new ChannelEstimator(0.5);
    expect(Number.isNaN(e.snapshot(0).uplinkBps)).toBe(true);
    // 10 000 B in (120 − 20) ms of network time = 800 000 bit/s
    e.add(10_000, 120, 20, 5);
    expect(e.snapshot(1)).toEqual({ uplinkBps: 800_000, rttMs: 100, edgeQueueMs: 5, edgeMs: 20, inFlight: 1, samples: 1 });
    // 10 000 B in 50 ms = 1 600 000 bit/s → EWMA 0.5: 1 200 000; rtt (100+50)/2; queue (5+15)/2
    e.add(10_000, 80, 30, 15);
    expect(e.snapshot(0)).toEqual({ uplinkBps: 1_200_000, rttMs: 75, edgeQueueMs: 10, edgeMs: 25, inFlight: 0, samples: 2 });
  });
});

describe('EdgeClient without a server', () => {
  it('never throws: detect rejects with disconnected while the edge is down; close is idempotent', async () => {
    const client = new EdgeClient({ url: 'ws://127.0.0.1:9', backoff: { initialMs: 10, maxMs: 20 } }).start();
    const states: string[] = [];
    client.state$.subscribe((s) => states.push(s));
    await new Promise((r) => setTimeout(r, 100));
    await expect(client.detect(new Uint8Array([0xff, 0xd8, 0xff]), { frameIndex: 0, captureMs: 0 })).rejects.toMatchObject({ code: 'disconnected' });
    expect(states).toContain('backoff');
    expect(client.counters().failed.disconnected).toBe(1);
    const c1 = client.close();
    expect(client.close()).toBe(c1);
    await c1;
    expect(client.state).toBe('closed');
    await expect(client.detect(new Uint8Array([1]), { frameIndex: 0, captureMs: 0 })).rejects.toBeInstanceOf(EdgeRequestError);
  });
  it('connect() gives up with disconnected after its timeout', async () => {
    await expect(EdgeClient.connect({ url: 'ws://127.0.0.1:9', backoff: { initialMs: 10, maxMs: 20 } }, 150)).rejects.toMatchObject({ code: 'disconnected' });
  });
  it('validates options with field names', () => {
    expect(() => new EdgeClient({ url: 'http://x' })).toThrow(/url: expected ws:\/\/host:port/);
    expect(() => new EdgeClient({ url: 'ws://x', maxInFlight: 0 })).toThrow(/maxInFlight: expected an integer in \[1, 1024\], got 0/);
  });
});
