import { type OperatorFunction, map } from 'rxjs';
import type { Frame } from '../../core/index.js';
import type { DeviceSession } from '../device-session.js';
import type { FrameWork } from '../frame-row.js';

/** Runs the on-device tracker on every frame (stage 1). */
export function trackFrames(session: DeviceSession): OperatorFunction<Frame, FrameWork> {
  return map((frame) => session.track(frame));
}
