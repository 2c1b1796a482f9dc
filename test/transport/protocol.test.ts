import { describe, expect, it } from 'vitest';
import { makeBox, makeDetection } from '../../src/core/index.js';
import {
  HEADER_BYTES,
  NO_FRAME,
  ProtocolError,
  decodeHeader,
  decodeMessage,
  encodeMessage,
  type Message,
} from '../../src/transport/protocol/index.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    return (err as ProtocolError).code;
  }
  throw new Error('expected a ProtocolError');
}

describe('header byte layout', () => {
  it('encodes magic, version, type, request id, frame index, capture time and payload length little-endian', () => {
    const bytes = encodeMessage({ type: 'stats', requestId: 0x01020304, frameIndex: 7, captureMs: 1.5, stats: null });
    expect(bytes.length).toBe(HEADER_BYTES);
    // "E" "T" version=1 type=6(stats)
    expect([...bytes.subarray(0, 4)]).toEqual([0x45, 0x54, 1, 6]);
    expect([...bytes.subarray(4, 8)]).toEqual([0x04, 0x03, 0x02, 0x01]);
    expect([...bytes.subarray(8, 12)]).toEqual([7, 0, 0, 0]);
    // 1.5 as f64 LE = 00 00 00 00 00 00 F8 3F
    expect([...bytes.subarray(12, 20)]).toEqual([0, 0, 0, 0, 0, 0, 0xf8, 0x3f]);
    expect([...bytes.subarray(20, 24)]).toEqual([0, 0, 0, 0]);
  });

  it('encodes NO_FRAME as 0xFFFFFFFF and decodes it back to -1', () => {
    const bytes = encodeMessage({ type: 'stats', requestId: 0, frameIndex: NO_FRAME, captureMs: 0, stats: null });
    expect([...bytes.subarray(8, 12)]).toEqual([0xff, 0xff, 0xff, 0xff]);
    expect(decodeHeader(bytes).frameIndex).toBe(-1);
  });

  it('lays out a detect payload as u16 options length, options JSON, image bytes', () => {
    const image = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);
    const bytes = encodeMessage({ type: 'detect', requestId: 9, frameIndex: 3, captureMs: 100, options: { model: 'm' }, image });
    const json = '{"model":"m"}';
    expect(bytes[3]).toBe(3);
    expect(new DataView(bytes.buffer).getUint32(20, true)).toBe(2 + json.length + 4);
    expect([...bytes.subarray(24, 26)]).toEqual([json.length, 0]);
    expect(new TextDecoder().decode(bytes.subarray(26, 26 + json.length))).toBe(json);
    expect([...bytes.subarray(26 + json.length)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
  });

  it('lays out detections as width, height, six f32 timings, count, 24-byte records', () => {
    const det = makeDetection(makeBox(1, 2, 3, 4), 0.5, 17);
    const bytes = encodeMessage({
      type: 'detections', requestId: 1, frameIndex: 0, captureMs: 0, width: 160, height: 120,
      timings: { queueMs: 1, decodeMs: 2, preMs: 3, inferenceMs: 4, postMs: 5, totalMs: 16 }, detections: [det],
    });
    const v = new DataView(bytes.buffer, HEADER_BYTES);
    expect(bytes.length).toBe(HEADER_BYTES + 32 + 24);
    expect([v.getUint16(0, true), v.getUint16(2, true)]).toEqual([160, 120]);
    expect([4, 8, 12, 16, 20, 24].map((o) => v.getFloat32(o, true))).toEqual([1, 2, 3, 4, 5, 16]);
    expect(v.getUint32(28, true)).toBe(1);
    expect([32, 36, 40, 44, 48].map((o) => v.getFloat32(o, true))).toEqual([1, 2, 3, 4, 0.5]);
    expect(v.getUint16(52, true)).toBe(17);
  });
});

describe('round trips', () => {
  const samples: Message[] = [
    { type: 'hello', requestId: 0, frameIndex: NO_FRAME, captureMs: 0, protocol: 1, token: 's3cret', name: 'cam-1' },
    {
      type: 'welcome', requestId: 0, frameIndex: NO_FRAME, captureMs: 0, protocol: 1, clientId: 'c1', models: ['nanodet', 'yolox'],
      limits: { maxPayload: 1000, perClientQueue: 4, globalQueue: 64, deadlineMs: 2000, heartbeatMs: 10000 },
    },
    { type: 'detect', requestId: 42, frameIndex: 12, captureMs: 1234.25, options: { model: 'nanodet', deadlineMs: 50, minScore: 0.3 }, image: new Uint8Array([1, 2, 3]) },
    {
      type: 'detections', requestId: 42, frameIndex: 12, captureMs: 1234.25, width: 640, height: 480,
      timings: { queueMs: 0.5, decodeMs: 1.25, preMs: 2, inferenceMs: 13.5, postMs: 0.75, totalMs: 18 },
      detections: [makeDetection(makeBox(10.5, 20, 110.25, 220), 0.875, 0), makeDetection(makeBox(0, 0, 0, 0), 0, 79)],
    },
    { type: 'error', requestId: 42, frameIndex: 12, captureMs: 0, code: 'busy', message: 'queue full' },
    { type: 'stats', requestId: 3, frameIndex: NO_FRAME, captureMs: 0, stats: { queueDepth: 2 } },
  ];
  for (const m of samples) {
    it(`${m.type} survives encode → decode`, () => {
      expect(decodeMessage(encodeMessage(m))).toEqual(m);
    });
  }
});

describe('decode errors have stable codes', () => {
  const good = encodeMessage({ type: 'detect', requestId: 5, frameIndex: 1, captureMs: 0, options: {}, image: new Uint8Array([9]) });
  const patched = (i: number, b: number): Uint8Array => {
    const c = good.slice();
    c[i] = b;
    return c;
  };
  it('bad_magic on wrong first bytes, even when short', () => {
    expect(codeOf(() => decodeMessage(patched(0, 0x00)))).toBe('bad_magic');
    expect(codeOf(() => decodeMessage(patched(1, 0x00)))).toBe('bad_magic');
    expect(codeOf(() => decodeMessage(new Uint8Array([0x7b])))).toBe('bad_magic');
  });
  it('truncated on a short header and on a payload shorter than announced', () => {
    expect(codeOf(() => decodeMessage(new Uint8Array(0)))).toBe('truncated');
    expect(codeOf(() => decodeMessage(good.subarray(0, 10)))).toBe('truncated');
    expect(codeOf(() => decodeMessage(good.subarray(0, good.length - 1)))).toBe('truncated');
  });
  it('bad_version, unknown_type, and the request id is kept once readable', () => {
    let err: ProtocolError | undefined;
    try { decodeMessage(patched(2, 9)); } catch (e) { err = e as ProtocolError; }
    expect(err?.code).toBe('bad_version');
    expect(err?.requestId).toBe(5);
    expect(codeOf(() => decodeMessage(patched(3, 99)))).toBe('unknown_type');
    expect(codeOf(() => decodeMessage(patched(3, 0)))).toBe('unknown_type');
  });
  it('bad_payload on trailing bytes, bad JSON, empty image, bad detection count', () => {
    const longer = new Uint8Array(good.length + 1);
    longer.set(good);
    expect(codeOf(() => decodeMessage(longer))).toBe('bad_payload');
    const badJson = good.slice();
    badJson[26] = 0x7d; // '{' → '}'
    expect(codeOf(() => decodeMessage(badJson))).toBe('bad_payload');
    const empty = encodeMessage({ type: 'stats', requestId: 0, frameIndex: 0, captureMs: 0, stats: null }).slice();
    empty[3] = 3; // detect with no payload
    expect(codeOf(() => decodeMessage(empty))).toBe('bad_payload');
    const noImage = encodeMessage({ type: 'hello', requestId: 0, frameIndex: 0, captureMs: 0, protocol: 1, token: '', name: '' }).slice();
    noImage[3] = 3;
    expect(codeOf(() => decodeMessage(noImage))).toBe('bad_payload');
    const dets = encodeMessage({
      type: 'detections', requestId: 1, frameIndex: 0, captureMs: 0, width: 1, height: 1,
      timings: { queueMs: 0, decodeMs: 0, preMs: 0, inferenceMs: 0, postMs: 0, totalMs: 0 }, detections: [],
    }).slice();
    dets[HEADER_BYTES + 28] = 1; // claims one detection, has none
    expect(codeOf(() => decodeMessage(dets))).toBe('bad_payload');
  });
  it('bad_payload on an unknown error code and on invalid options', () => {
    const e = encodeMessage({ type: 'error', requestId: 0, frameIndex: 0, captureMs: 0, code: 'busy', message: 'x' });
    const text = new TextDecoder().decode(e.subarray(HEADER_BYTES)).replace('busy', 'bzzy');
    const forged = new Uint8Array([...e.subarray(0, HEADER_BYTES), ...new TextEncoder().encode(text)]);
    expect(codeOf(() => decodeMessage(forged))).toBe('bad_payload');
    const d = encodeMessage({ type: 'detect', requestId: 1, frameIndex: 0, captureMs: 0, options: { minScore: 0.5 }, image: new Uint8Array([1]) });
    const t2 = new TextDecoder('latin1').decode(d.subarray(HEADER_BYTES + 2)).replace('0.5', '5.0');
    const forged2 = new Uint8Array([...d.subarray(0, HEADER_BYTES + 2), ...new TextEncoder().encode(t2)]);
    expect(codeOf(() => decodeMessage(forged2))).toBe('bad_payload');
  });
  it('never throws anything but ProtocolError on random bytes', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 2000; i++) {
      const n = rnd() % 64;
      const b = new Uint8Array(n).map(rnd);
      if (i % 2 === 0 && n >= 4) { b[0] = 0x45; b[1] = 0x54; b[2] = 1; b[3] = 1 + (rnd() % 6); }
      try { decodeMessage(b); } catch (err) { expect(err).toBeInstanceOf(ProtocolError); }
    }
  });
});
