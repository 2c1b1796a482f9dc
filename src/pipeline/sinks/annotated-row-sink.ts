import type { Frame } from '../../core/index.js';
import { AnnotatedVideoWriter, trackAnnotations } from '../../video/index.js';
import { outputTracks } from '../device-session.js';
import type { FrameRow } from '../frame-row.js';
import type { RowSink } from '../operators/write-rows.js';

/**
 * Draws the tracked boxes (colour by id, `#id class score`) on every frame into an H.264 MP4, with a
 * caption saying the frame number (1-based, as in tracks.txt) and the decision. Dropped rows repeat the last image.
 */
export class AnnotatedRowSink implements RowSink {
  readonly #writer: AnnotatedVideoWriter;
  #lastFrame: Frame | undefined;

  constructor(path: string, fps: number) {
    this.#writer = new AnnotatedVideoWriter(path, { fps });
  }

  async write(row: FrameRow): Promise<void> {
    const frame = row.frame ?? this.#lastFrame;
    if (!frame) return;
    this.#lastFrame = frame;
    // 1-based, as in tracks.txt
    const caption = `frame ${row.frameIndex + 1}${row.dropped ? ' (dropped)' : ''}${row.decision !== 'none' ? ` ${row.decision}` : ''}`;
    await this.#writer.write(frame, trackAnnotations(outputTracks(row.tracks)), caption);
  }

  close(): Promise<void> {
    return this.#writer.close();
  }
}
