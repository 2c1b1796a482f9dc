import type { Track } from '../../core/index.js';
import { outputTracks } from '../device-session.js';
import type { FrameRow } from '../frame-row.js';
import type { RowSink } from '../operators/write-rows.js';

/** Keeps the tracked boxes of every row in memory, for metrics at the end of a run. */
export class TrackCollector implements RowSink {
  /** 0-based frame index → tracks in state `tracked`. */
  readonly byFrame = new Map<number, readonly Track[]>();
  rows = 0;

  write(row: FrameRow): void {
    this.byFrame.set(row.frameIndex, outputTracks(row.tracks));
    this.rows++;
  }

  async close(): Promise<void> {}
}
