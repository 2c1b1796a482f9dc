import { ProtocolError } from './codes.js';
import {
  DETECTION_BYTES,
  DETECTIONS_FIXED_BYTES,
  HEADER_BYTES,
  MAGIC,
  MESSAGE_TYPES,
  NO_FRAME,
  PROTOCOL_VERSION,
  type Message,
  type MessageHeader,
} from './messages.js';

const textEncoder = new TextEncoder();

/** Largest u32. */
const U32_MAX = 0xffffffff;

function checkHeader(m: MessageHeader): void {
  if (!Number.isInteger(m.requestId) || m.requestId < 0 || m.requestId > U32_MAX) {
    throw new RangeError(`requestId: expected an integer in [0, ${U32_MAX}], got ${m.requestId}`);
  }
  if (m.frameIndex !== NO_FRAME && (!Number.isInteger(m.frameIndex) || m.frameIndex < 0 || m.frameIndex >= U32_MAX)) {
    throw new RangeError(`frameIndex: expected -1 or an integer in [0, ${U32_MAX - 1}], got ${m.frameIndex}`);
  }
  if (!Number.isFinite(m.captureMs)) throw new RangeError(`captureMs: expected a finite number, got ${m.captureMs}`);
}

function payloadOf(m: Message): Uint8Array {
  switch (m.type) {
    case 'hello':
      return textEncoder.encode(JSON.stringify({ protocol: m.protocol, token: m.token, name: m.name }));
    case 'welcome':
      return textEncoder.encode(
        JSON.stringify({ protocol: m.protocol, clientId: m.clientId, models: m.models, limits: m.limits }),
      );
    case 'error':
      return textEncoder.encode(JSON.stringify({ code: m.code, message: m.message }));
    case 'stats':
      return m.stats === null ? new Uint8Array(0) : textEncoder.encode(JSON.stringify(m.stats));
    case 'detect': {
      const meta = textEncoder.encode(JSON.stringify(m.options));
      if (meta.length > 0xffff) throw new RangeError(`detect options: expected ≤ 65535 bytes of JSON, got ${meta.length}`);
      const out = new Uint8Array(2 + meta.length + m.image.length);
      new DataView(out.buffer).setUint16(0, meta.length, true);
      out.set(meta, 2);
      out.set(m.image, 2 + meta.length);
      return out;
    }
    case 'detections': {
      if (!(m.width >= 0 && m.width <= 0xffff && m.height >= 0 && m.height <= 0xffff)) {
        throw new RangeError(`detections: width/height must fit u16, got ${m.width}x${m.height}`);
      }
      const out = new Uint8Array(DETECTIONS_FIXED_BYTES + DETECTION_BYTES * m.detections.length);
      const v = new DataView(out.buffer);
      const t = m.timings;
      v.setUint16(0, m.width, true);
      v.setUint16(2, m.height, true);
      v.setFloat32(4, t.queueMs, true);
      v.setFloat32(8, t.decodeMs, true);
      v.setFloat32(12, t.preMs, true);
      v.setFloat32(16, t.inferenceMs, true);
      v.setFloat32(20, t.postMs, true);
      v.setFloat32(24, t.totalMs, true);
      v.setUint32(28, m.detections.length, true);
      let o = DETECTIONS_FIXED_BYTES;
      for (const d of m.detections) {
        v.setFloat32(o, d.box.x1, true);
        v.setFloat32(o + 4, d.box.y1, true);
        v.setFloat32(o + 8, d.box.x2, true);
        v.setFloat32(o + 12, d.box.y2, true);
        v.setFloat32(o + 16, d.score, true);
        v.setUint16(o + 20, d.classId, true);
        v.setUint16(o + 22, 0, true);
        o += DETECTION_BYTES;
      }
      return out;
    }
  }
}

/**
 * Encodes a message into one binary WebSocket frame: the 24-byte header (docs/protocol.md) followed
 * by the type's payload. Pure; throws RangeError on values that do not fit the wire format.
 */
export function encodeMessage(m: Message): Uint8Array {
  checkHeader(m);
  const payload = payloadOf(m);
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  const v = new DataView(out.buffer);
  out[0] = MAGIC[0];
  out[1] = MAGIC[1];
  out[2] = PROTOCOL_VERSION;
  out[3] = MESSAGE_TYPES[m.type];
  v.setUint32(4, m.requestId, true);
  v.setUint32(8, m.frameIndex === NO_FRAME ? U32_MAX : m.frameIndex, true);
  v.setFloat64(12, m.captureMs, true);
  v.setUint32(20, payload.length, true);
  out.set(payload, HEADER_BYTES);
  return out;
}

/** Convenience: the `error` message for a {@link ProtocolError}, echoing header fields when known. */
export function encodeError(err: ProtocolError, frameIndex = NO_FRAME, captureMs = 0): Uint8Array {
  return encodeMessage({
    type: 'error',
    requestId: err.requestId,
    frameIndex,
    captureMs,
    code: err.code,
    message: err.message,
  });
}
