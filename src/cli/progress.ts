import cliProgress from 'cli-progress';

/** Progress reporter: a bar on a TTY, a log line every `intervalMs` otherwise. */
export interface Progress {
  update(done: number, total: number | null): void;
  stop(): void;
}

/**
 * Creates a progress reporter for `label` writing to stderr: a cli-progress bar when stderr is a
 * TTY, else one line (`label: 120/300 frames (40%)`) at most every `intervalMs` ms and at the end.
 */
export function createProgress(label: string, unit = 'frames', intervalMs = 5000): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} ${unit} | {eta_formatted} left`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let stopped = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total ?? 0, 0);
          started = true;
        }
        if (total !== null && total !== bar.getTotal()) bar.setTotal(total);
        bar.update(done);
      },
      stop() {
        if (started && !stopped) bar.stop();
        stopped = true;
      },
    };
  }
  let last = 0;
  let lastDone = 0;
  let lastTotal: number | null = null;
  let stopped = false;
  let lastPrinted = -1;
  const line = (done: number, total: number | null) => {
    lastPrinted = done;
    process.stderr.write(`${label}: ${done}${total !== null ? `/${total} ${unit} (${Math.round((100 * done) / Math.max(total, 1))}%)` : ` ${unit}`}\n`);
  };
  return {
    update(done, total) {
      lastDone = done;
      lastTotal = total;
      const now = Date.now();
      if (now - last >= intervalMs) {
        last = now;
        line(done, total);
      }
    },
    stop() {
      if (lastDone > 0 && !stopped && lastDone !== lastPrinted) line(lastDone, lastTotal);
      stopped = true;
    },
  };
}
