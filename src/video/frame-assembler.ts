/**
 * Cuts a byte stream of packed frames (e.g. ffmpeg `-f rawvideo` output) into exact frame-size
 * buffers. Every byte is copied once into a freshly allocated, unpooled frame buffer (no growing
 * concatenation), so the cost is linear in the stream length and each emitted buffer owns its own
 * ArrayBuffer (safe to keep or transfer).
 */
export class FrameAssembler {
  private current: Uint8Array | undefined;
  private filled = 0;

  /** @param frameBytes bytes per frame (width × height × 3 for rgb24); integer ≥ 1. */
  constructor(readonly frameBytes: number) {
    if (!Number.isInteger(frameBytes) || frameBytes < 1) {
      throw new RangeError(`frameBytes: expected an integer ≥ 1, got ${frameBytes}`);
    }
  }

  /** Bytes of the incomplete frame held so far. */
  get pendingBytes(): number {
    return this.filled;
  }

  /** Consumes `chunk`, calling `emit` with each frame it completes (in order). */
  push(chunk: Uint8Array, emit: (frame: Uint8Array) => void): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (!this.current) {
        // A chunk that holds a whole frame at a frame boundary could be sliced without a copy, but
        // the slice would pin the chunk's (possibly pooled) memory: always copy into an own buffer.
        const b = Buffer.allocUnsafeSlow(this.frameBytes);
        this.current = new Uint8Array(b.buffer, b.byteOffset, this.frameBytes);
        this.filled = 0;
      }
      const n = Math.min(this.frameBytes - this.filled, chunk.length - offset);
      this.current.set(chunk.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.frameBytes) {
        const done = this.current;
        this.current = undefined;
        this.filled = 0;
        emit(done);
      }
    }
  }
}
