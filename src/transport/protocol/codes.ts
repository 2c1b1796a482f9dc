/**
 * Stable error and close codes of the edgetrack wire protocol. These strings and numbers are part of
 * the protocol (docs/protocol.md): never renumber or rename them, only add.
 */

/** Error codes carried in `error` messages (server → client) and by {@link ProtocolError}. */
export const ERROR_CODES = [
  'bad_magic',
  'bad_version',
  'truncated',
  'unknown_type',
  'bad_payload',
  'unauthorized',
  'busy',
  'too_large',
  'deadline',
  'model_unknown',
  'bad_image',
  'shutting_down',
  'internal',
  'rate_limited',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** True when `value` is a known {@link ErrorCode}. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** WebSocket close codes the edge server uses (4000–4999 is the application range). */
export const CLOSE_CODES = Object.freeze({
  /** Normal close (client or server `close()`). */
  normal: 1000,
  /** Server shutting down. */
  goingAway: 1001,
  /**
   * A frame larger than the hard limit (closed by the `ws` library itself), or more bytes than one
   * control message before `hello`.
   */
  messageTooBig: 1009,
  /** Missing or wrong token in `hello`. */
  unauthorized: 4001,
  /** First message was not a valid `hello` (or hello repeated, or wrong protocol version). */
  protocolError: 4002,
  /** No `hello` within the hello timeout (also when a frame stalls half-sent). */
  helloTimeout: 4003,
  /** Answers waiting to be sent to the client exceeded the outbound cap: the client is not reading. */
  slowConsumer: 4004,
});

/** Close reasons sent with the close codes above (≤ 123 bytes each, as WebSocket requires). */
export const CLOSE_REASONS = Object.freeze({
  missingToken: 'unauthorized: missing token',
  wrongToken: 'unauthorized: wrong token',
  helloExpected: 'protocol: first message must be hello',
  helloTimeout: 'protocol: no hello within timeout',
  shuttingDown: 'server shutting down',
  tooBigBeforeHello: 'protocol: message too big before hello',
  slowConsumer: 'too slow: outbound buffer over limit, client not reading',
});

/**
 * A protocol-level failure with a stable `code`. Thrown by the decoders and used as the `error`
 * message body on the wire.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** Request the failure refers to (0 when none or unknown). */
  readonly requestId: number;

  constructor(code: ErrorCode, message: string, requestId = 0) {
    super(message);
    this.code = code;
    this.requestId = requestId;
  }
}
