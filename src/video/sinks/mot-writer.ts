import { formatMotRow, requireInteger, type Box } from '../../core/index.js';
import { LineWriter } from './line-writer.js';

/** Anything with an id and a box: a Track, or a ground-truth object. */
export interface MotObject {
  readonly id: number;
  readonly box: Box;
  /** Written in column 7; default 1. */
  readonly score?: number;
  /** 0-based COCO class, written in column 8 (−1 when undefined). */
  readonly classId?: number;
}

/**
 * Writes MOTChallenge result files: one line `frame,id,x,y,w,h,score,class,-1,-1` per object, with
 * 1-based frame numbers (frame index 0 → `1`) and the 0-based COCO class in column 8 (−1 when
 * unknown; the first seven columns are the standard MOT result columns, see docs/metrics.md). Backpressure-aware; `close()` is idempotent.
 */
export class MotWriter {
  private readonly out: LineWriter;
  /** Rows written so far. */
  rows = 0;

  constructor(readonly path: string) {
    this.out = new LineWriter(path);
  }

  /** Appends the objects of 0-based frame `frameIndex`. */
  async write(frameIndex: number, objects: readonly MotObject[]): Promise<void> {
    requireInteger(frameIndex, 'MotWriter.write frameIndex', 0);
    if (objects.length === 0) return;
    let text = '';
    for (const o of objects) {
      text += `${formatMotRow({ frame: frameIndex + 1, id: o.id, box: o.box, score: o.score ?? 1, classOrX: o.classId ?? -1, visibilityOrY: -1 })}\n`;
    }
    await this.out.write(text);
    this.rows += objects.length;
  }

  /** Flushes and closes the file (idempotent). */
  close(): Promise<void> {
    return this.out.close();
  }
}
