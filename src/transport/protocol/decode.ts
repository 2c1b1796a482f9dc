import { makeBox, makeDetection, type Detection } from '../../core/index.js';
import { ProtocolError, isErrorCode } from './codes.js';
import {
  DETECTION_BYTES,
  DETECTIONS_FIXED_BYTES,
  HEADER_BYTES,
  MAGIC,
  MESSAGE_TYPES,
  NO_FRAME,
  PROTOCOL_VERSION,
  type DetectOptions,
  type Message,
  type MessageType,
  type ServerLimits,
} from './messages.js';

const textDecoder = new TextDecoder('utf-8', { fatal: true });
/** `welcome.limits` fields added within version 1: kept when present and numeric. */
const OPTIONAL_LIMITS = ['maxImagePixels', 'requestsPerSecond', 'requestBurst', 'bytesPerSecond', 'maxOutboundBytes'] as const;
const TYPE_BY_NUMBER = new Map<number, MessageType>(
  Object.entries(MESSAGE_TYPES).map(([k, v]) => [v, k as MessageType]),
);

/** The parsed fixed header of a message, plus where its payload lies. */
export interface DecodedHeader {
  readonly type: MessageType;
  readonly requestId: number;
  readonly frameIndex: number;
  readonly captureMs: number;
  readonly payloadLength: number;
}

/**
 * Parses and checks the 24-byte header. Throws {@link ProtocolError} with code `bad_magic`,
 * `bad_version`, `unknown_type` or `truncated`; once the request id is readable it is carried in
 * the error so the server can answer that request.
 */
export function decodeHeader(bytes: Uint8Array): DecodedHeader {
  if (bytes.length >= 1 && bytes[0] !== MAGIC[0]) throw new ProtocolError('bad_magic', `bad magic byte 0: expected 0x45, got 0x${hex(bytes[0])}`);
  if (bytes.length >= 2 && bytes[1] !== MAGIC[1]) throw new ProtocolError('bad_magic', `bad magic byte 1: expected 0x54, got 0x${hex(bytes[1])}`);
  if (bytes.length < HEADER_BYTES) {
    throw new ProtocolError('truncated', `header: expected ${HEADER_BYTES} bytes, got ${bytes.length}`);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const requestId = v.getUint32(4, true);
  if (bytes[2] !== PROTOCOL_VERSION) {
    throw new ProtocolError('bad_version', `protocol version: expected ${PROTOCOL_VERSION}, got ${bytes[2]}`, requestId);
  }
  const type = TYPE_BY_NUMBER.get(bytes[3]);
  if (type === undefined) throw new ProtocolError('unknown_type', `message type: unknown type ${bytes[3]}`, requestId);
  const rawFrame = v.getUint32(8, true);
  const captureMs = v.getFloat64(12, true);
  const payloadLength = v.getUint32(20, true);
  if (!Number.isFinite(captureMs)) {
    throw new ProtocolError('bad_payload', `header captureMs: expected a finite number, got ${captureMs}`, requestId);
  }
  const available = bytes.length - HEADER_BYTES;
  if (payloadLength > available) {
    throw new ProtocolError('truncated', `payload: header says ${payloadLength} bytes, got ${available}`, requestId);
  }
  if (payloadLength < available) {
    throw new ProtocolError('bad_payload', `payload: header says ${payloadLength} bytes, got ${available} (trailing bytes)`, requestId);
  }
  return { type, requestId, frameIndex: rawFrame === 0xffffffff ? NO_FRAME : rawFrame, captureMs, payloadLength };
}

/**
 * Decodes one binary WebSocket message. Pure. Throws {@link ProtocolError} (never anything else)
 * with a stable code: `bad_magic`, `bad_version`, `unknown_type`, `truncated`, `bad_payload`.
 */
export function decodeMessage(bytes: Uint8Array): Message {
  const h = decodeHeader(bytes);
  const payload = bytes.subarray(HEADER_BYTES, HEADER_BYTES + h.payloadLength);
  const base = { requestId: h.requestId, frameIndex: h.frameIndex, captureMs: h.captureMs };
  const fail = (msg: string): never => {
    throw new ProtocolError('bad_payload', `${h.type}: ${msg}`, h.requestId);
  };
  switch (h.type) {
    case 'hello': {
      const o = parseJsonObject(payload, fail);
      const protocol = o.protocol;
      if (!Number.isInteger(protocol)) fail(`protocol: expected an integer, got ${typeof protocol}`);
      const token = o.token ?? '';
      if (typeof token !== 'string' || token.length > 1024) fail('token: expected a string of ≤ 1024 chars');
      const name = o.name ?? '';
      if (typeof name !== 'string' || name.length > 64) fail('name: expected a string of ≤ 64 chars');
      return { type: 'hello', ...base, protocol: protocol as number, token: token as string, name: name as string };
    }
    case 'welcome': {
      const o = parseJsonObject(payload, fail);
      if (!Number.isInteger(o.protocol)) fail('protocol: expected an integer');
      if (typeof o.clientId !== 'string') fail('clientId: expected a string');
      if (!Array.isArray(o.models) || !o.models.every((m) => typeof m === 'string')) fail('models: expected an array of strings');
      const l = o.limits as Record<string, unknown> | undefined;
      const keys = ['maxPayload', 'perClientQueue', 'globalQueue', 'deadlineMs', 'heartbeatMs'] as const;
      if (typeof l !== 'object' || l === null || !keys.every((k) => typeof l[k] === 'number')) {
        fail(`limits: expected numbers ${keys.join(', ')}`);
      }
      return {
        type: 'welcome',
        ...base,
        protocol: o.protocol as number,
        clientId: o.clientId as string,
        models: Object.freeze([...(o.models as string[])]),
        limits: Object.freeze(Object.fromEntries([...keys, ...OPTIONAL_LIMITS].filter((k) => typeof l![k] === 'number').map((k) => [k, l![k]])) as unknown as ServerLimits),
      };
    }
    case 'error': {
      const o = parseJsonObject(payload, fail);
      if (!isErrorCode(o.code)) fail(`code: unknown error code ${JSON.stringify(o.code)}`);
      if (typeof o.message !== 'string') fail('message: expected a string');
      return { type: 'error', ...base, code: o.code as never, message: o.message as string };
    }
    case 'stats': {
      if (payload.length === 0) return { type: 'stats', ...base, stats: null };
      return { type: 'stats', ...base, stats: Object.freeze(parseJsonObject(payload, fail)) };
    }
    case 'detect':
      return { type: 'detect', ...base, ...decodeDetectPayload(payload, fail) };
    case 'detections':
      return { type: 'detections', ...base, ...decodeDetectionsPayload(payload, fail) };
  }
}

function decodeDetectPayload(p: Uint8Array, fail: (m: string) => never): { options: DetectOptions; image: Uint8Array } {
  if (p.length < 2) fail(`expected ≥ 2 payload bytes, got ${p.length}`);
  const metaLen = p[0] | (p[1] << 8);
  if (2 + metaLen > p.length) fail(`options length ${metaLen} exceeds payload (${p.length - 2} bytes)`);
  const o = parseJsonObject(p.subarray(2, 2 + metaLen), fail);
  const options: { model?: string; deadlineMs?: number; minScore?: number } = {};
  if (o.model !== undefined) {
    if (typeof o.model !== 'string' || o.model.length === 0 || o.model.length > 128) fail('options.model: expected a non-empty string');
    options.model = o.model as string;
  }
  if (o.deadlineMs !== undefined) {
    if (typeof o.deadlineMs !== 'number' || !(o.deadlineMs > 0)) fail('options.deadlineMs: expected a number > 0');
    options.deadlineMs = o.deadlineMs as number;
  }
  if (o.minScore !== undefined) {
    if (typeof o.minScore !== 'number' || !(o.minScore >= 0 && o.minScore <= 1)) fail('options.minScore: expected a number in [0, 1]');
    options.minScore = o.minScore as number;
  }
  const image = p.subarray(2 + metaLen);
  if (image.length === 0) fail('image: expected a non-empty image');
  return { options: Object.freeze(options), image };
}

function decodeDetectionsPayload(
  p: Uint8Array,
  fail: (m: string) => never,
): { width: number; height: number; timings: import('./messages.js').EdgeTimings; detections: readonly Detection[] } {
  if (p.length < DETECTIONS_FIXED_BYTES) fail(`expected ≥ ${DETECTIONS_FIXED_BYTES} payload bytes, got ${p.length}`);
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const count = v.getUint32(28, true);
  const expected = DETECTIONS_FIXED_BYTES + count * DETECTION_BYTES;
  if (p.length !== expected) fail(`${count} detections need ${expected} payload bytes, got ${p.length}`);
  const timings = Object.freeze({
    queueMs: v.getFloat32(4, true),
    decodeMs: v.getFloat32(8, true),
    preMs: v.getFloat32(12, true),
    inferenceMs: v.getFloat32(16, true),
    postMs: v.getFloat32(20, true),
    totalMs: v.getFloat32(24, true),
  });
  for (const [k, t] of Object.entries(timings)) if (!(t >= 0)) fail(`timings.${k}: expected a number ≥ 0, got ${t}`);
  const detections: Detection[] = [];
  let o = DETECTIONS_FIXED_BYTES;
  for (let i = 0; i < count; i++, o += DETECTION_BYTES) {
    try {
      const box = makeBox(v.getFloat32(o, true), v.getFloat32(o + 4, true), v.getFloat32(o + 8, true), v.getFloat32(o + 12, true), `detections[${i}].box`);
      detections.push(makeDetection(box, v.getFloat32(o + 16, true), v.getUint16(o + 20, true), `detections[${i}]`));
    } catch (err) {
      fail((err as Error).message);
    }
  }
  return { width: v.getUint16(0, true), height: v.getUint16(2, true), timings, detections: Object.freeze(detections) };
}

function parseJsonObject(bytes: Uint8Array, fail: (m: string) => never): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(textDecoder.decode(bytes));
  } catch (err) {
    fail(`expected a UTF-8 JSON object, got invalid JSON (${(err as Error).message.slice(0, 80)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('expected a JSON object');
  return value as Record<string, unknown>;
}

function hex(b: number | undefined): string {
  return (b ?? 0).toString(16).padStart(2, '0');
}
