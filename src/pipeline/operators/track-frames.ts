import { type OperatorFunction, map } from 'rxjs';
import type { DeviceSession } from '../device-session.js';
import type { FrameWork } from '../frame-row.js';

/** Stage 2: runs the on-device tracker on every frame. */
export function trackFrames(session: DeviceSession): OperatorFunction<FrameWork, FrameWork> {
  return map((work) => session.track(work));
}
