import { Observable } from 'rxjs';
import type { Frame } from '../core/index.js';

/**
 * Wraps a pull-based frame generator as a cold Observable: each subscription starts the generator
 * with its own AbortSignal, pushes frames as fast as a synchronous subscriber takes them, and aborts
 * the generator (killing its ffmpeg child, if any) on unsubscribe.
 */
export function framesObservable(frames: (signal: AbortSignal) => AsyncIterable<Frame>): Observable<Frame> {
  return new Observable<Frame>((subscriber) => {
    const abort = new AbortController();
    (async () => {
      for await (const frame of frames(abort.signal)) {
        if (subscriber.closed) break;
        subscriber.next(frame);
      }
      subscriber.complete();
    })().catch((err: unknown) => subscriber.error(err));
    return () => abort.abort();
  });
}
