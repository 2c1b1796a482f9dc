import { type OperatorFunction, map } from 'rxjs';
import type { DeviceSession } from '../device-session.js';
import type { FrameRow, FrameWork } from '../frame-row.js';

/** Turns finished work into the output row of the frame (stage 5). */
export function toRows(session: DeviceSession): OperatorFunction<FrameWork, FrameRow> {
  return map((work) => session.finish(work));
}
