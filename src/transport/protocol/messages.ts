import type { Detection } from '../../core/index.js';
import type { ErrorCode } from './codes.js';

/** Protocol version carried in every header and in `hello`/`welcome`. */
export const PROTOCOL_VERSION = 1;
/** First two bytes of every message: ASCII "ET". */
export const MAGIC = Object.freeze([0x45, 0x54] as const);
/** Size of the fixed header in bytes. */
export const HEADER_BYTES = 24;
/** Frame index value meaning "not tied to a frame" (encoded as 0xFFFFFFFF). */
export const NO_FRAME = -1;
/** Bytes per detection in a `detections` payload. */
export const DETECTION_BYTES = 24;
/** Bytes of the fixed part of a `detections` payload before the detection records. */
export const DETECTIONS_FIXED_BYTES = 32;

/** Numeric message types (header byte 3). */
export const MESSAGE_TYPES = Object.freeze({
  hello: 1,
  welcome: 2,
  detect: 3,
  detections: 4,
  error: 5,
  stats: 6,
} as const);

/** Name of a message type. */
export type MessageType = keyof typeof MESSAGE_TYPES;

/** Header fields shared by every message. */
export interface MessageHeader {
  /** Client-chosen request id (u32); 0 = not a request. Responses echo it. */
  readonly requestId: number;
  /** Video frame index (u32), or {@link NO_FRAME}. */
  readonly frameIndex: number;
  /** Capture timestamp of the frame in ms on the device clock (f64), 0 when not applicable. */
  readonly captureMs: number;
}

/** Client → server, first message of every connection. */
export interface HelloMessage extends MessageHeader {
  readonly type: 'hello';
  readonly protocol: number;
  /** Shared secret; empty string when the client has none. */
  readonly token: string;
  /** Free-form client name for logs and metrics (≤ 64 chars). */
  readonly name: string;
}

/** Limits the server enforces, announced in `welcome`. */
export interface ServerLimits {
  /** Largest accepted `detect` image in bytes; larger → `too_large`. */
  readonly maxPayload: number;
  /** Requests one client may have queued or running; more → `busy`. */
  readonly perClientQueue: number;
  /** Requests queued over all clients; more → `busy`. */
  readonly globalQueue: number;
  /** Default time a request may wait before it starts; later → `deadline`. */
  readonly deadlineMs: number;
  /** Ping interval; a client that misses one pong is dropped. */
  readonly heartbeatMs: number;
  /** Largest image accepted in pixels (declared by its header); larger → `too_large`. Absent from older servers. */
  readonly maxImagePixels?: number;
  /** Per-client message rate and burst; over → `rate_limited`. Absent from older servers. */
  readonly requestsPerSecond?: number;
  readonly requestBurst?: number;
  /** Per-client byte rate; over → `rate_limited`. Absent from older servers. */
  readonly bytesPerSecond?: number;
  /** Answers buffered for a client before it is dropped (close 4004). Absent from older servers. */
  readonly maxOutboundBytes?: number;
}

/** Server → client, answer to a valid `hello`. */
export interface WelcomeMessage extends MessageHeader {
  readonly type: 'welcome';
  readonly protocol: number;
  /** Id the server gave this connection (for logs). */
  readonly clientId: string;
  /** Model names this server serves; the first is the default. */
  readonly models: readonly string[];
  readonly limits: ServerLimits;
}

/** Per-request options of a `detect` message. */
export interface DetectOptions {
  /** Model to use; omitted = the server's default (first) model. */
  readonly model?: string;
  /** Start-by deadline in ms from arrival, capped by the server's `deadlineMs`. */
  readonly deadlineMs?: number;
  /** Drop detections with a lower score (applied after the detector's own threshold). */
  readonly minScore?: number;
}

/** Client → server: run detection on a JPEG (or PNG) image. */
export interface DetectMessage extends MessageHeader {
  readonly type: 'detect';
  readonly options: DetectOptions;
  /** Encoded image bytes (non-empty). */
  readonly image: Uint8Array;
}

/** Edge timings of one request, ms. */
export interface EdgeTimings {
  /** Waiting in the server's queue. */
  readonly queueMs: number;
  /** Image decode. */
  readonly decodeMs: number;
  /** Resize/normalise into the input tensor. */
  readonly preMs: number;
  /** Model run. */
  readonly inferenceMs: number;
  /** Output decoding + NMS. */
  readonly postMs: number;
  /** Whole residence on the edge: message received → response handed to the socket. */
  readonly totalMs: number;
}

/** Server → client: the answer to a `detect`. */
export interface DetectionsMessage extends MessageHeader {
  readonly type: 'detections';
  /** Width/height of the image that was sent; boxes are in its pixels. */
  readonly width: number;
  readonly height: number;
  readonly timings: EdgeTimings;
  readonly detections: readonly Detection[];
}

/** Server → client: a request (requestId ≠ 0) or the connection (requestId = 0) failed. */
export interface ErrorMessage extends MessageHeader {
  readonly type: 'error';
  readonly code: ErrorCode;
  readonly message: string;
}

/** Client → server with `stats: null` asks for statistics; server → client carries them. */
export interface StatsMessage extends MessageHeader {
  readonly type: 'stats';
  readonly stats: Readonly<Record<string, unknown>> | null;
}

/** Any protocol message. */
export type Message =
  | HelloMessage
  | WelcomeMessage
  | DetectMessage
  | DetectionsMessage
  | ErrorMessage
  | StatsMessage;
