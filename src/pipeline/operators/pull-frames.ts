import { Observable, type OperatorFunction, lastValueFrom, of, toArray } from 'rxjs';
import type { Frame } from '../../core/index.js';

/**
 * Pull-based driver for offline sources: takes the next frame from `frames` only after `perFrame`
 * has finished with the previous one (its last emission is the result), so decoding never runs ahead
 * of the device pipeline (bounded memory) and every stage of frame i completes before frame i+1
 * starts (deterministic replay). Every emission of `perFrame` is forwarded, in order. Unsubscribing
 * stops the iterator (which kills its ffmpeg child).
 */
export function pullFrames<R>(
  frames: () => AsyncIterable<Frame>,
  perFrame: OperatorFunction<Frame, R>,
): Observable<R> {
  return new Observable<R>((subscriber) => {
    let stopped = false;
    const iterator = frames()[Symbol.asyncIterator]();
    (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done || stopped) break;
        const results = await lastValueFrom(of(next.value).pipe(perFrame, toArray()));
        if (stopped) break;
        for (const r of results) subscriber.next(r);
      }
      subscriber.complete();
    })().catch((err: unknown) => subscriber.error(err));
    return () => {
      stopped = true;
      void iterator.return?.(undefined).catch(() => {});
    };
  });
}
