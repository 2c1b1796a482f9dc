import { MotWriter } from '../../video/index.js';
import { outputTracks } from '../device-session.js';
import type { FrameRow } from '../frame-row.js';
import type { RowSink } from '../operators/write-rows.js';

/** Writes the tracked (not lost) tracks of every row as MOT rows (`tracks.txt`), class in column 8. */
export class MotRowSink implements RowSink {
  readonly #writer: MotWriter;

  constructor(path: string) {
    this.#writer = new MotWriter(path);
  }

  async write(row: FrameRow): Promise<void> {
    await this.#writer.write(row.frameIndex, outputTracks(row.tracks).map((t) => ({ id: t.id, box: t.box, score: t.score, classId: t.classId })));
  }

  close(): Promise<void> {
    return this.#writer.close();
  }
}
