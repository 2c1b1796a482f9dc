import { Observable, type OperatorFunction } from 'rxjs';
import type { FrameRow } from '../frame-row.js';

/**
 * Live sources drop frames when the device falls behind (latest frame wins), leaving gaps in the frame
 * indices. This operator emits a row for every dropped index before the next real row — `dropped: true`,
 * the last known tracks, no decision — so every input frame has exactly one output row.
 */
export function fillDroppedFrames(): OperatorFunction<FrameRow, FrameRow> {
  return (source) =>
    new Observable<FrameRow>((subscriber) => {
      let last: FrameRow | undefined;
      return source.subscribe({
        next(row) {
          if (last) {
            for (let i = last.frameIndex + 1; i < row.frameIndex; i++) {
              subscriber.next({
                ...last, frameIndex: i, dropped: true, decision: 'none', bytes: 0, applied: [],
                context: { ...last.context, frameIndex: i }, frame: undefined,
              });
            }
          }
          last = row;
          subscriber.next(row);
        },
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}
