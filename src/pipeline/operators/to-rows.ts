import { type OperatorFunction, map } from 'rxjs';
import type { DeviceSession } from '../device-session.js';
import type { FrameRow, FrameWork } from '../frame-row.js';

/** Stage 4: turns finished work into the frame's output row (exactly one per frame). */
export function toRows(session: DeviceSession): OperatorFunction<FrameWork, FrameRow> {
  return map((work) => session.finish(work));
}
