/**
 * Cuts a byte stream of packed frames (e.g. ffmpeg `-f rawvideo` output) into exact frame-size
 * buffers, each with its own ArrayBuffer (safe to keep or transfer). See frame-assembler.mjs.
 */
export declare class FrameAssembler {
  /** @param frameBytes bytes per frame (width × height × 3 for rgb24); integer ≥ 1. */
  constructor(frameBytes: number);
  readonly frameBytes: number;
  /** Bytes of the incomplete frame held so far. */
  get pendingBytes(): number;
  /** Consumes `chunk`, calling `emit` with each frame it completes (in order). */
  push(chunk: Uint8Array, emit: (frame: Uint8Array) => void): void;
}
