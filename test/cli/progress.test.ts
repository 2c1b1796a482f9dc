import { describe, expect, it, vi } from 'vitest';
import { createProgress, formatSeconds } from '../../src/cli/progress.js';

/** A stream that records what is written; `isTTY` as given. */
function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: isTTY ? 200 : undefined, write: (chunk: string) => (writes.push(String(chunk)), true) } };
}

describe('createProgress without a TTY (log files, pipes, CI)', () => {
  it('prints plain lines with total, percent, rate and ETA, at most one per interval plus the final one; never a carriage return', () => {
    const { writes, stream } = fakeStream(false);
    let now = 0;
    const p = createProgress('run', { unit: 'frames', intervalMs: 1000, stream, now: () => now });
    p.update(1, 300); // first update: printed (no rate yet)
    now = 500;
    p.update(5, 300); // within the interval: silent
    now = 10_000;
    p.update(100, 300); // 100 frames in 10 s → 10 frames/s, 200 left → 20 s
    now = 30_000;
    p.update(300, 300); // the last one is always printed
    p.stop(); // already printed: nothing new
    p.stop(); // idempotent
    expect(writes).toEqual([
      'run: 1/300 frames (0%)\n',
      'run: 100/300 frames (33%), 10.0 frames/s, ETA 20 s\n',
      'run: 300/300 frames (100%), 10.0 frames/s\n',
    ]);
    expect(writes.join('')).not.toContain('\r');
  });

  it('stop() prints the last count when it was not printed; unknown totals print a bare count; log lines go through as they are', () => {
    const { writes, stream } = fakeStream(false);
    let now = 0;
    const p = createProgress('live', { intervalMs: 60_000, stream, now: () => now });
    p.update(1, null);
    p.log('edge ws://x not reachable');
    now = 4000;
    p.update(42, null);
    p.stop();
    expect(writes).toEqual(['live: 1 frames\n', 'edge ws://x not reachable\n', 'live: 42 frames, 10.5 frames/s\n']);
  });

  it('prints nothing when nothing was counted', () => {
    const { writes, stream } = fakeStream(false);
    const p = createProgress('x', { stream });
    p.stop();
    expect(writes).toEqual([]);
  });
});

describe('createProgress on a TTY', () => {
  it('redraws one bar line in place with count, total, percent, rate and ETA, and ends it with a newline', () => {
    const { writes, stream } = fakeStream(true);
    let now = 0;
    const p = createProgress('detect', { stream, now: () => now });
    p.update(1, 40);
    now = 50;
    p.update(2, 40); // redraws at most every 100 ms
    now = 2000;
    p.update(20, 40);
    p.stop();
    expect(writes).toHaveLength(4);
    expect(writes[0]).toBe('\rdetect [#-----------------------] 1/40 frames 3%\x1b[K');
    expect(writes[1]).toBe('\rdetect [############------------] 20/40 frames 50% | 10.0 frames/s | ETA 2 s\x1b[K');
    expect(writes[3]).toBe('\n');
  });

  it('log() clears the bar line, writes the message on its own line and redraws the bar under it', () => {
    const { writes, stream } = fakeStream(true);
    const p = createProgress('demo', { stream, now: () => 0 });
    p.update(3, 10);
    writes.length = 0;
    p.log('evaluating against the oracle');
    expect(writes[0]).toBe('\r\x1b[Kevaluating against the oracle\n');
    expect(writes[1]).toMatch(/^\rdemo \[#+-+\] 3\/10 frames 30%/);
  });
});

describe('createProgress shorthand', () => {
  it('(label, unit, intervalMs) is the options form { unit, intervalMs } on stderr', () => {
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    const writes: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stderr.write);
    try {
      const p = createProgress('train', 'episodes', 60_000);
      p.update(1, 400);
      p.update(2, 400); // within the interval
      p.stop();
      expect(writes).toHaveLength(2);
      expect(writes[0]).toBe('train: 1/400 episodes (0%)\n');
      expect(writes[1]).toMatch(/^train: 2\/400 episodes \(1%\)/);
    } finally {
      spy.mockRestore();
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
  });
});

describe('formatSeconds', () => {
  it.each([[0, '0 s'], [9.4, '9 s'], [75, '1 min 15 s'], [3725, '1 h 2 min']])('%s → %s', (s, text) => expect(formatSeconds(s)).toBe(text));
});
