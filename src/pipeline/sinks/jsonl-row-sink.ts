import { cocoLabel } from '../../core/index.js';
import { JsonlWriter } from '../../video/index.js';
import type { FrameRow } from '../frame-row.js';
import type { RowSink } from '../operators/write-rows.js';

/** Writes every row (without pixels) as one JSON line: tracks (with `className`), decision, applied offloads, context features. */
export class JsonlRowSink implements RowSink {
  readonly #writer: JsonlWriter;

  constructor(path: string) {
    this.#writer = new JsonlWriter(path);
  }

  async write(row: FrameRow): Promise<void> {
    const { frame: _frame, tracks, ...rest } = row;
    await this.#writer.write({ ...rest, tracks: tracks.map((t) => ({ ...t, className: cocoLabel(t.classId) })) });
  }

  close(): Promise<void> {
    return this.#writer.close();
  }
}
