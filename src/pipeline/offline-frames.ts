import type { Frame } from '../core/index.js';
import { fileFrames, imageSequenceFrames, sourceKind } from '../video/index.js';

/** Pull-based frames of an offline source (video file or image folder); `maxFrames` caps the count. */
export function offlineFrames(spec: string, maxFrames?: number): () => AsyncIterable<Frame> {
  const kind = sourceKind(spec);
  if (kind === 'live') throw new TypeError(`offlineFrames: ${spec} is a live source`);
  const range = maxFrames !== undefined ? { endFrame: maxFrames } : {};
  return () => (kind === 'images' ? imageSequenceFrames(spec, range) : fileFrames(spec, range));
}

/** An offline source already started, its first frame decoded. */
export interface PrimedFrames {
  /** The frames, first one included. Can be iterated once. */
  readonly frames: () => AsyncIterable<Frame>;
  /** Stops the decoder (kills ffmpeg) if the frames are never (fully) iterated. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts an offline source and waits for its first frame, so that starting it (probe, ffmpeg
 * start-up, first decode: ~100 ms for a file) is paid before the frame loop — it is start-up, not
 * per-frame work. Decode errors of the first frame reject here, naming the input.
 */
export async function primeOfflineFrames(spec: string, maxFrames?: number): Promise<PrimedFrames> {
  const iterator = offlineFrames(spec, maxFrames)()[Symbol.asyncIterator]();
  const first = await iterator.next();
  let iterated = false;
  let closed: Promise<void> | undefined;
  const iterable: AsyncIterable<Frame> = {
    [Symbol.asyncIterator]: () => {
      if (iterated) throw new Error(`primeOfflineFrames(${spec}): the frames can be iterated once`);
      iterated = true;
      let firstPending = !first.done;
      return {
        next: () => {
          if (!firstPending) return iterator.next();
          firstPending = false;
          return Promise.resolve(first);
        },
        return: async (value?: unknown) => {
          await iterator.return?.(undefined);
          return { done: true as const, value: value as undefined };
        },
      };
    },
  };
  return {
    frames: () => iterable,
    close: () => (closed ??= Promise.resolve(iterator.return?.(undefined)).then(() => undefined)),
  };
}

/**
 * The frames of `frames` until `signal` aborts: after each frame, the next one is taken only if the
 * signal has not aborted, and stopping early closes the underlying source (kills ffmpeg). Without a
 * signal, `frames` itself.
 */
export function untilAborted(frames: () => AsyncIterable<Frame>, signal?: AbortSignal): () => AsyncIterable<Frame> {
  if (!signal) return frames;
  return async function* () {
    if (signal.aborted) return;
    for await (const frame of frames()) {
      yield frame;
      if (signal.aborted) return;
    }
  };
}

/**
 * The frames of `frames` until the source fails: an error while taking the next frame ends the
 * iteration and is handed to `onError` instead of being thrown, so that the frames already processed
 * still get their outputs and report (a camera unplugged, a file corrupt half-way, ffmpeg killed).
 */
export function endOnSourceError(frames: () => AsyncIterable<Frame>, onError: (error: Error) => void): () => AsyncIterable<Frame> {
  return async function* () {
    try {
      yield* frames(); // an early stop of the consumer is passed on (closes the source)
    } catch (e) {
      onError(e instanceof Error ? e : new Error(String(e)));
    }
  };
}
