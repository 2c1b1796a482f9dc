import { Observable, type OperatorFunction } from 'rxjs';
import type { FrameRow } from '../frame-row.js';

/**
 * Live sources drop frames when the device falls behind (latest frame wins), leaving gaps in the frame
 * indices. This operator emits a row for every dropped index before the next real row — `dropped: true`,
 * the last known tracks, no decision — so every input frame has exactly one output row.
 * @param lastInputIndex index of the last frame the source delivered; on completion, frames dropped
 *   after the last real row (the source ended while the device was busy) get their rows too
 */
export function fillDroppedFrames(lastInputIndex?: () => number): OperatorFunction<FrameRow, FrameRow> {
  return (source) =>
    new Observable<FrameRow>((subscriber) => {
      let last: FrameRow | undefined;
      const fillUpTo = (end: number) => {
        if (!last) return;
        for (let i = last.frameIndex + 1; i < end; i++) {
          subscriber.next({
            ...last, frameIndex: i, dropped: true, decision: 'none', bytes: 0, applied: [],
            context: { ...last.context, frameIndex: i }, frame: undefined,
          });
        }
      };
      return source.subscribe({
        next(row) {
          fillUpTo(row.frameIndex);
          last = row;
          subscriber.next(row);
        },
        error: (e) => subscriber.error(e),
        complete: () => {
          if (lastInputIndex) fillUpTo(lastInputIndex() + 1);
          subscriber.complete();
        },
      });
    });
}
