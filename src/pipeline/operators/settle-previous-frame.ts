import { type OperatorFunction, concatMap } from 'rxjs';
import type { DeviceSession } from '../device-session.js';
import type { FrameWork } from '../frame-row.js';

/**
 * Overlap mode: once this frame is tracked, waits for the previous frame's encode and send and attaches
 * its completed row to this frame's work (no-op without overlap). Must run before answers are applied,
 * so the previous offload is registered with the offloader first.
 */
export function settlePreviousFrame(session: DeviceSession): OperatorFunction<FrameWork, FrameWork> {
  return concatMap(async (work) => {
    const previousRow = await session.settle();
    if (previousRow) work.previousRow = previousRow;
    return work;
  });
}
