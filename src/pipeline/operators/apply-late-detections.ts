import { type OperatorFunction, concatMap } from 'rxjs';
import type { DeviceSession } from '../device-session.js';
import type { FrameWork } from '../frame-row.js';

/** Applies the edge answers due at this frame with Katch-Up (stage 2). Keeps frame order. */
export function applyLateDetections(session: DeviceSession): OperatorFunction<FrameWork, FrameWork> {
  return concatMap((work) => session.applyDue(work));
}
