import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/index.js';
import {
  CHANNEL_PRESET_NAMES,
  ChannelModel,
  channelPreset,
  createChannel,
  detectTraceFormat,
  parseTrace,
  readTrace,
  traceMeanMbps,
} from '../../src/transport/channel/index.js';

// 8 Mbps = 1000 B/ms for 1 s, then 0 for 1 s, then 16 Mbps = 2000 B/ms for 1 s (last segment lasts
// the previous interval). One loop = 3000 ms and 1e6 + 0 + 2e6 = 3e6 bytes.
const PENSIEVE = '0 8\n1 0\n2 16\n';
const CSV = 'time_ms,mbps\n0,8\n1000,0\n2000,16\n';
// Opportunities at 0, 0, 5, 10 ms (1500 B each); loops every 10 ms: 10, 10, 15, 20, 20, 20, 25, ...
const MAHIMAHI = '0\n0\n5\n10\n';

describe('rate traces (pensieve and csv) give hand-computed delivery times', () => {
  for (const [label, text] of [['pensieve', PENSIEVE], ['csv', CSV]] as const) {
    it(`${label}`, () => {
      const trace = parseTrace(text, { file: `hand.${label}` });
      expect(trace.kind).toBe('rate');
      expect(trace.periodMs).toBe(3000);
      const ch = new ChannelModel({ trace });
      expect(ch.deliveryTimeMs(500_000, 0)).toBeCloseTo(500, 9); // 500 kB at 1000 B/ms
      expect(ch.deliveryTimeMs(1_500_000, 0)).toBeCloseTo(2250, 9); // 1 MB by 1000, idle to 2000, 500 kB / 2000 B/ms
      expect(ch.deliveryTimeMs(100, 1500)).toBeCloseTo(2000.05, 9); // zero rate until 2000
      expect(ch.deliveryTimeMs(4_000_000, 0)).toBeCloseTo(4000, 9); // one loop (3 MB by 3000) + 1 MB at 1000 B/ms
      expect(ch.deliveryTimeMs(0, 123)).toBe(123);
      expect(ch.capacityBytes(500, 2500)).toBeCloseTo(500_000 + 1_000_000, 6);
      const rtt = new ChannelModel({ trace, baseRttMs: 40 });
      expect(rtt.deliveryTimeMs(500_000, 0)).toBeCloseTo(520, 9);
      expect(rtt.returnTimeMs(1000)).toBe(1020);
      const off = new ChannelModel({ trace, offsetMs: 2000 });
      expect(off.deliveryTimeMs(2_000_000, 0)).toBeCloseTo(1000, 9); // starts in the 2000 B/ms segment
      // serialising uplink: messages queue behind each other
      expect(ch.send(500_000, 0)).toBeCloseTo(500, 9);
      expect(ch.send(500_000, 100)).toBeCloseTo(1000, 9); // waits for the first
      expect(ch.send(100, 1200)).toBeCloseTo(2000.05, 9); // link idle but rate 0 until 2000
      expect(ch.send(100, 3100)).toBeCloseTo(3100.1, 9); // second loop, first segment: 1000 B/ms
      expect(ch.send(100, 5000)).toBeCloseTo(5000.05, 9); // 5000 mod 3000 = 2000: 2000 B/ms
    });
  }
  it('mean Mbps of a loop', () => {
    expect(traceMeanMbps(parseTrace(PENSIEVE))).toBeCloseTo(8, 9);
  });
});

describe('mahimahi traces give hand-computed delivery times', () => {
  const trace = parseTrace(MAHIMAHI, { file: 'hand.mahimahi' });
  it('is detected and loops with the last timestamp', () => {
    expect(detectTraceFormat(MAHIMAHI)).toBe('mahimahi');
    expect(trace.kind).toBe('opportunities');
    expect(trace.periodMs).toBe(10);
    expect(traceMeanMbps(trace)).toBeCloseTo((4 * 1500 * 8) / 10_000, 9);
  });
  it('delivers on the k-th opportunity at or after the send time', () => {
    const ch = new ChannelModel({ trace });
    expect(ch.deliveryTimeMs(1500, 0)).toBe(0); // first opportunity at 0
    expect(ch.deliveryTimeMs(3001, 0)).toBe(5); // three packets: 0, 0, 5
    expect(ch.deliveryTimeMs(1, 1)).toBe(5);
    expect(ch.deliveryTimeMs(4 * 1500, 1)).toBe(10); // 5, 10, 10, 10
    expect(ch.deliveryTimeMs(5 * 1500, 1)).toBe(15);
    expect(ch.deliveryTimeMs(1500, 10.5)).toBe(15);
    expect(ch.deliveryTimeMs(1500, 20)).toBe(20);
    expect(new ChannelModel({ trace, baseRttMs: 6 }).deliveryTimeMs(1500, 1)).toBe(8);
  });
  it('serialises messages and shares partly used packets', () => {
    const ch = new ChannelModel({ trace });
    expect(ch.send(2000, 0)).toBe(0); // bytes 0..2000: packets 1-2, both at t=0
    expect(ch.send(2000, 0)).toBe(5); // bytes 2000..4000: packet 3 at t=5
    expect(ch.send(10, 7)).toBe(10); // capacity before 7 = 4500 → bytes 4500..4510: packet 4 at t=10
  });
});

describe('loss is deterministic', () => {
  it('same seed → same delays; losses only add', () => {
    const trace = parseTrace(PENSIEVE);
    const a = new ChannelModel({ trace, baseRttMs: 10, loss: { rate: 0.2, seed: 7 } });
    const b = new ChannelModel({ trace, baseRttMs: 10, loss: { rate: 0.2, seed: 7 } });
    const clean = new ChannelModel({ trace, baseRttMs: 10 });
    const ta = [0, 1, 2, 3, 4].map((i) => a.deliveryTimeMs(30_000, i * 100));
    const tb = [0, 1, 2, 3, 4].map((i) => b.deliveryTimeMs(30_000, i * 100));
    expect(ta).toEqual(tb);
    ta.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(clean.deliveryTimeMs(30_000, i * 100)));
    expect(ta.some((t, i) => t > clean.deliveryTimeMs(30_000, i * 100))).toBe(true);
  });
});

describe('validation names the file and line', () => {
  const cases: [string, string, RegExp][] = [
    ['0 8\n1 x\n', 'p.txt', /p\.txt:2: Mbps: expected a number, got "x"/],
    ['0 8\n\n0.5 1\n0.4 2\n', 'p.txt', /p\.txt:4: time: expected > 0\.5/],
    ['0 8\n1 -1\n', 'p.txt', /p\.txt:2: Mbps: expected ≥ 0/],
    ['time_ms,mbps\n0,1\n10,2,3\n', 'c.csv', /c\.csv:3: expected 2 fields/],
    ['t,mbps\n0,1\n', 'c.csv', /c\.csv:1: expected the header "time_ms,mbps"/],
    ['0\n5\n3\n', 'm.up', /m\.up:3: timestamp: expected ≥ 5/],
    ['0\n1.5\n', 'm.up', /m\.up:2: timestamp: expected an integer/],
    ['0\n0\n', 'm.up', /m\.up:2: last timestamp: expected > 0/],
    ['', 'e.txt', /e\.txt: empty trace/],
    ['0 0\n1 0\n', 'z.txt', /z\.txt:1: expected some capacity/],
  ];
  for (const [text, file, re] of cases) {
    it(`${file}: ${re.source}`, () => {
      expect(() => parseTrace(text, { file })).toThrow(ValidationError);
      expect(() => parseTrace(text, { file })).toThrow(re);
    });
  }
  it('an explicit format overrides detection', () => {
    expect(() => parseTrace('5\n10\n', { format: 'pensieve', file: 'f' })).toThrow(/f:1: expected 2 fields/);
  });
});

describe('presets', () => {
  it('are deterministic and within their documented ranges', () => {
    expect(CHANNEL_PRESET_NAMES).toEqual(['wifi-good', 'wifi-erratic', 'lte-drive', '3g-poor']);
    const ranges: Record<string, [number, number]> = { 'wifi-good': [38, 42], 'wifi-erratic': [5, 40], 'lte-drive': [1, 20], '3g-poor': [0.3, 2] };
    for (const name of CHANNEL_PRESET_NAMES) {
      const p = channelPreset(name);
      expect(channelPreset(name)).toEqual(p);
      const mean = traceMeanMbps(p.options.trace);
      expect(mean).toBeGreaterThanOrEqual(ranges[name][0]);
      expect(mean).toBeLessThanOrEqual(ranges[name][1]);
      const a = createChannel(name);
      const b = createChannel(name);
      const sends = [0, 50, 100, 700, 1300].map((t) => [a.send(40_000, t), b.send(40_000, t)]);
      sends.forEach(([x, y]) => expect(x).toBe(y));
    }
    // wifi-good: 40 kB at ~40 Mbps (5000 B/ms) ≈ 8 ms + 2 ms one-way
    const t = createChannel('wifi-good').deliveryTimeMs(40_000, 0);
    expect(t).toBeGreaterThan(9);
    expect(t).toBeLessThan(11);
    expect(() => channelPreset('nope')).toThrow(/expected one of wifi-good/);
  });
});

const SHARED = fileURLToPath(new URL('../../../shared', import.meta.url));
const TRACES = join(SHARED, 'data/traces');
describe.skipIf(!existsSync(TRACES))('sample traces in ../shared/data/traces (skipped: ../shared absent)', () => {
  it('every pensieve-train trace and the mahimahi pair parse with auto-detection', async () => {
    const files = readdirSync(join(TRACES, 'pensieve-train')).map((f) => join(TRACES, 'pensieve-train', f));
    for (const f of files) {
      const t = await readTrace(f);
      expect(t.kind, f).toBe('rate');
      expect(t.periodMs, f).toBeGreaterThan(0);
    }
    for (const dir of ['up', 'down']) {
      const t = await readTrace(join(TRACES, `mahimahi/TMobile-UMTS-driving.${dir}`));
      expect(t.kind).toBe('opportunities');
      const mean = traceMeanMbps(t);
      expect(mean).toBeGreaterThan(0.1);
      expect(mean).toBeLessThan(50);
      const ch = new ChannelModel({ trace: t, baseRttMs: 40 });
      expect(ch.deliveryTimeMs(30_000, 0)).toBeGreaterThan(20);
    }
  });
});

describe('ReplayLink (replay clock: uplink + FIFO edge + downlink)', () => {
  it('matches a hand-computed schedule', async () => {
    const { ReplayLink } = await import('../../src/transport/channel/index.js');
    // 8 Mbps = 1000 B/ms constant, base RTT 20 ms
    const link = new ReplayLink(new ChannelModel({ trace: parseTrace('0 8\n1 8\n'), baseRttMs: 20 }));
    // 50 kB at t=0: uplink done 50, +10 → edge 60; service 30 → done 90; back at 100
    expect(link.offload(50_000, 0, 30)).toEqual({ sendMs: 0, arriveEdgeMs: 60, startMs: 60, doneMs: 90, returnMs: 100, queueMs: 0 });
    // 10 kB at t=55: uplink free at 50 → done 65, +10 → 75; edge busy until 90 → start 90, done 120, back 130
    expect(link.offload(10_000, 55, 30)).toEqual({ sendMs: 55, arriveEdgeMs: 75, startMs: 90, doneMs: 120, returnMs: 130, queueMs: 15 });
    link.reset();
    expect(link.offload(1000, 0, 0).returnMs).toBe(21);
  });
});

describe('channelFromSpec', () => {
  it('takes a preset name or a trace file, with overrides', async () => {
    const { channelFromSpec } = await import('../../src/transport/channel/index.js');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    expect((await channelFromSpec('lte-drive')).baseRttMs).toBe(50);
    expect((await channelFromSpec('lte-drive', { baseRttMs: 10 })).baseRttMs).toBe(10);
    const file = join(mkdtempSync(join(tmpdir(), 'et-trace-')), 'hand.csv');
    writeFileSync(file, CSV);
    const ch = await channelFromSpec(file, { baseRttMs: 40 });
    expect(ch.deliveryTimeMs(500_000, 0)).toBeCloseTo(520, 9);
    await expect(channelFromSpec('nope')).rejects.toThrow(/expected a preset \(wifi-good, wifi-erratic, lte-drive, 3g-poor\) or a trace file/);
  });
});
