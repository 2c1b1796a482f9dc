import type { ErrorCode } from '../protocol/index.js';

/**
 * Why a client request failed: a server error code, or one of the client's own:
 * `disconnected` (not connected, or the connection dropped while the request was in flight — it is
 * never re-sent), `timeout` (no answer within requestTimeoutMs), `busy_local` (maxInFlight reached,
 * nothing was sent), `closed` (the client was closed).
 */
export type EdgeErrorCode = ErrorCode | 'disconnected' | 'timeout' | 'busy_local' | 'closed';

/** A rejected `detect()`; `code` is stable, `requestId`/`frameIndex` say which request. */
export class EdgeRequestError extends Error {
  override readonly name = 'EdgeRequestError';
  readonly code: EdgeErrorCode;
  /** Request id (0 when nothing was sent). */
  readonly requestId: number;
  readonly frameIndex: number;

  constructor(code: EdgeErrorCode, message: string, requestId = 0, frameIndex = -1) {
    super(message);
    this.code = code;
    this.requestId = requestId;
    this.frameIndex = frameIndex;
  }
}
