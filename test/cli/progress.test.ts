import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';

describe('createProgress without a TTY', () => {
  const writes: string[] = [];
  let spy: ReturnType<typeof vi.spyOn> | undefined;
  afterEach(() => {
    spy?.mockRestore();
    writes.length = 0;
  });
  const capture = () => {
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    spy = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stderr.write);
  };

  it('prints a line at most every interval and the final count once', () => {
    capture();
    let now = 0;
    const dateSpy = vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const p = createProgress('run', 'frames', 1000);
      now = 5000;
      p.update(10, 300); // first call: interval since 0 passed → printed
      now = 5500;
      p.update(20, 300); // within the interval → silent
      now = 6100;
      p.update(300, 300); // printed
      p.stop(); // final count already printed → nothing new
      p.stop(); // idempotent
      expect(writes).toEqual(['run: 10/300 frames (3%)\n', 'run: 300/300 frames (100%)\n']);
    } finally {
      dateSpy.mockRestore();
    }
  });

  it('stop() prints the last count when the last update was not printed; unknown totals print a bare count', () => {
    capture();
    const p = createProgress('live', 'frames', 60_000);
    p.update(1, null);
    p.update(42, null);
    p.stop();
    expect(writes).toEqual(['live: 1 frames\n', 'live: 42 frames\n']);
  });
});
