import { type OperatorFunction, map } from 'rxjs';
import type { Frame } from '../../core/index.js';
import type { DeviceSession } from '../device-session.js';
import type { FrameWork } from '../frame-row.js';

/**
 * Stage 1: asks the controller on the context as it stands at capture time and, when it says so,
 * starts encoding and sending the frame (not awaited: the frame is tracked meanwhile).
 */
export function decideAndOffload(session: DeviceSession): OperatorFunction<Frame, FrameWork> {
  return map((frame) => session.decideAndOffload(frame));
}
