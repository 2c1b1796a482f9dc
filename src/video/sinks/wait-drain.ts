import type { Writable } from 'node:stream';

/**
 * Resolves when `stream` emits 'drain', 'close' or 'error' (whichever first), removing all three
 * listeners afterwards (unlike racing `events.once`, which leaks the losers' listeners).
 */
export function waitDrain(stream: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}
