import type { FrameMotion } from './frame-motion.js';
import type { FrameFeatures } from './motion-estimator.js';
import type { CvMat } from './opencv.js';

/** What the buffer keeps per frame: the processing image, its features and the motions into it. */
export interface BufferedFrame {
  readonly index: number;
  /** Grayscale processing image (owned by the buffer, deleted on eviction). */
  readonly gray: CvMat;
  /** Pixel bytes accounted for this entry (the processing image; cached motions are not counted). */
  readonly bytes: number;
  /** Texture and pixel copy of `gray`, set by the tracker when it buffers the frame. */
  features?: FrameFeatures;
  /** Motions from an earlier buffered frame (key: its index) into this frame, computed once and shared. */
  readonly motions: Map<number, FrameMotion>;
}

/** Counters of a {@link FrameBuffer}. */
export interface FrameBufferStats {
  readonly frames: number;
  readonly bytes: number;
  /** Entries evicted because the frame bound was reached. */
  readonly evictedByFrames: number;
  /** Entries evicted because the byte bound was reached. */
  readonly evictedByBytes: number;
}

/**
 * Ring of the most recent frames, bounded by a frame count and a byte count (the newest entry is
 * always kept, so the bytes bound may be exceeded by one oversized frame). Evicted entries' Mats are
 * deleted at once. Indices must be pushed in increasing order.
 */
export class FrameBuffer {
  readonly maxFrames: number;
  readonly maxBytes: number;
  #entries: BufferedFrame[] = [];
  #bytes = 0;
  #evictedByFrames = 0;
  #evictedByBytes = 0;

  constructor(maxFrames: number, maxBytes: number) {
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
  }

  /** Adds the newest frame (taking ownership of `gray`), then evicts the oldest entries over the bounds. */
  push(index: number, gray: CvMat): BufferedFrame {
    const last = this.#entries.at(-1);
    if (last && index <= last.index) {
      gray.delete();
      throw new Error(`FrameBuffer: index ${index} not after ${last.index}`);
    }
    const entry: BufferedFrame = { index, gray, bytes: gray.rows * gray.cols * gray.channels(), motions: new Map() };
    this.#entries.push(entry);
    this.#bytes += entry.bytes;
    while (this.#entries.length > this.maxFrames) this.#evictOldest('frames');
    while (this.#entries.length > 1 && this.#bytes > this.maxBytes) this.#evictOldest('bytes');
    return entry;
  }

  /** The entry for frame `index`, or undefined when it is not (or no longer) buffered. */
  get(index: number): BufferedFrame | undefined {
    const e = this.#entries;
    if (e.length === 0) return undefined;
    // Indices are increasing but may have gaps: binary search.
    let lo = 0;
    let hi = e.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = e[mid].index;
      if (v === index) return e[mid];
      if (v < index) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Entries with from ≤ index ≤ to, oldest first. */
  range(from: number, to: number): BufferedFrame[] {
    return this.#entries.filter((e) => e.index >= from && e.index <= to);
  }

  /** The newest entry. */
  newest(): BufferedFrame | undefined {
    return this.#entries.at(-1);
  }

  /** The oldest buffered frame index, or undefined when empty. */
  oldestIndex(): number | undefined {
    return this.#entries[0]?.index;
  }

  get stats(): FrameBufferStats {
    return {
      frames: this.#entries.length,
      bytes: this.#bytes,
      evictedByFrames: this.#evictedByFrames,
      evictedByBytes: this.#evictedByBytes,
    };
  }

  /** Deletes every Mat and empties the buffer (counters are kept). Idempotent. */
  clear(): void {
    for (const e of this.#entries) e.gray.delete();
    this.#entries = [];
    this.#bytes = 0;
  }

  #evictOldest(reason: 'frames' | 'bytes'): void {
    const e = this.#entries.shift();
    if (!e) return;
    e.gray.delete();
    this.#bytes -= e.bytes;
    if (reason === 'frames') this.#evictedByFrames++;
    else this.#evictedByBytes++;
  }
}
