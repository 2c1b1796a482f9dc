// Plain JavaScript so that the ffmpeg pump worker (ffmpeg-pump.worker.mjs) can import it without a
// TypeScript loader; types in frame-assembler.d.mts.

/**
 * Cuts a byte stream of packed frames (e.g. ffmpeg `-f rawvideo` output) into exact frame-size
 * buffers. Every byte is copied once into a freshly allocated frame buffer with its own ArrayBuffer
 * (no growing concatenation, no pooled memory), so the cost is linear in the stream length and each
 * emitted buffer is safe to keep or transfer to another thread.
 */
export class FrameAssembler {
  /** @param {number} frameBytes bytes per frame (width × height × 3 for rgb24); integer ≥ 1. */
  constructor(frameBytes) {
    if (!Number.isInteger(frameBytes) || frameBytes < 1) {
      throw new RangeError(`frameBytes: expected an integer ≥ 1, got ${frameBytes}`);
    }
    this.frameBytes = frameBytes;
    /** @type {Uint8Array | undefined} */
    this.current = undefined;
    this.filled = 0;
  }

  /** Bytes of the incomplete frame held so far. */
  get pendingBytes() {
    return this.filled;
  }

  /**
   * Consumes `chunk`, calling `emit` with each frame it completes (in order).
   * @param {Uint8Array} chunk
   * @param {(frame: Uint8Array) => void} emit
   */
  push(chunk, emit) {
    let offset = 0;
    while (offset < chunk.length) {
      if (!this.current) {
        // unpooled and not zero-filled (every byte is overwritten): own ArrayBuffer, offset 0
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
