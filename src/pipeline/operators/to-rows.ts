import { type OperatorFunction, concatMap } from 'rxjs';
import type { DeviceSession } from '../device-session.js';
import type { FrameRow, FrameWork } from '../frame-row.js';

/**
 * Turns finished work into output rows (stage 5): this frame's row, or — when the session overlaps
 * encoding with tracking — the previous frame's row, settled earlier (the last one comes from
 * `session.settle()` at the end of the input).
 */
export function toRows(session: DeviceSession): OperatorFunction<FrameWork, FrameRow> {
  return concatMap((work) => session.rowsAfter(work));
}
