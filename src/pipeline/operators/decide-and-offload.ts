import { type OperatorFunction, concatMap } from 'rxjs';
import type { DeviceSession } from '../device-session.js';
import type { FrameWork } from '../frame-row.js';

/** Asks the controller and, when it says so, encodes and sends the frame (stages 3 and 4). */
export function decideAndOffload(session: DeviceSession): OperatorFunction<FrameWork, FrameWork> {
  return concatMap((work) => {
    const { decision } = session.decide(work);
    return session.offload(work, decision);
  });
}
