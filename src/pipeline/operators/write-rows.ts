import { type OperatorFunction, concatMap } from 'rxjs';
import type { FrameRow } from '../frame-row.js';

/** Something that consumes output rows (MOT file, JSONL, annotated video, collectors). */
export interface RowSink {
  write(row: FrameRow): Promise<void> | void;
  close(): Promise<void>;
}

/** Hands every row to every sink in order, waiting for each (backpressure). Emits the row after. */
export function writeRows(sinks: readonly RowSink[]): OperatorFunction<FrameRow, FrameRow> {
  return concatMap(async (row) => {
    for (const sink of sinks) await sink.write(row);
    return row;
  });
}
