import { type OperatorFunction, concatMap } from 'rxjs';
import type { DeviceSession } from '../device-session.js';
import type { FrameWork } from '../frame-row.js';

/**
 * Stage 3: once the frame's own offload is handed over, applies the edge answers due at this frame
 * with Katch-Up. Keeps frame order.
 */
export function applyLateDetections(session: DeviceSession): OperatorFunction<FrameWork, FrameWork> {
  return concatMap((work) => session.applyDue(work));
}
