/** Progress of a long command on stderr; every long command uses one (see {@link createProgress}). */
export interface Progress {
  /** `done` of `total` units so far (`total` null when unknown, e.g. a live source). */
  update(done: number, total: number | null): void;
  /** Writes a log line without mixing it into the bar (the bar is redrawn below it). */
  log(line: string): void;
  /** Final state: the bar is completed with a newline, or the last count is printed. Idempotent. */
  stop(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** What is counted, plural (default `frames`). */
  readonly unit?: string;
  /** Non-TTY: at most one line per this many ms, plus the final one (default 5000). */
  readonly intervalMs?: number;
  /** Where to write (default process.stderr). A TTY gets the bar, anything else plain lines. */
  readonly stream?: Pick<NodeJS.WriteStream, 'write'> & { readonly isTTY?: boolean; readonly columns?: number };
  /** Clock in ms (default Date.now), for tests. */
  readonly now?: () => number;
}

/** TTY: redraw the bar at most this often, ms. */
const REDRAW_MS = 100;

/**
 * Progress for `label`. On a TTY: one bar line redrawn in place with count, total, percent, rate and
 * ETA (`run [#####-----] 120/300 frames 40% | 11.8 frames/s | ETA 15 s`). Otherwise (a log file, a
 * pipe, CI): plain lines, one at most every `intervalMs` and one at the end
 * (`run: 120/300 frames (40%), 11.8 frames/s, ETA 15 s`) — never a carriage return.
 */
export function createProgress(label: string, options?: ProgressOptions): Progress;
/** Shorthand: `createProgress('train', 'episodes', 5000)` = `{ unit: 'episodes', intervalMs: 5000 }`. */
export function createProgress(label: string, unit: string, intervalMs?: number): Progress;
export function createProgress(label: string, optionsOrUnit: ProgressOptions | string = {}, interval?: number): Progress {
  const options: ProgressOptions = typeof optionsOrUnit === 'string' ? { unit: optionsOrUnit, ...(interval !== undefined ? { intervalMs: interval } : {}) } : optionsOrUnit;
  const unit = options.unit ?? 'frames';
  const intervalMs = options.intervalMs ?? 5000;
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const tty = stream.isTTY === true;
  let startedAt: number | undefined;
  /** When the count reached the total: the rate shown after that (a redraw, stop()) stays the final one. */
  let finishedAt: number | undefined;
  let done = 0;
  let total: number | null = null;
  let lastDraw = -Infinity;
  let drawn = false;
  let printed = -1;
  let stopped = false;

  const stats = (): { rate: number; eta: string } => {
    const seconds = startedAt === undefined ? 0 : ((finishedAt ?? now()) - startedAt) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = total !== null && rate > 0 && done < total ? formatSeconds((total - done) / rate) : '';
    return { rate, eta };
  };
  const barLine = (): string => {
    const { rate, eta } = stats();
    const width = 24;
    const filled = total ? Math.min(width, Math.round((width * done) / Math.max(total, 1))) : 0;
    const bar = total !== null ? ` [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]` : '';
    const count = total !== null ? `${done}/${total} ${unit} ${percent(done, total)}` : `${done} ${unit}`;
    const line = `${label}${bar} ${count}${rate > 0 ? ` | ${rate.toFixed(1)} ${unit}/s` : ''}${eta ? ` | ETA ${eta}` : ''}`;
    return stream.columns ? line.slice(0, stream.columns - 1) : line;
  };
  const plainLine = (): string => {
    const { rate, eta } = stats();
    const count = total !== null ? `${done}/${total} ${unit} (${percent(done, total)})` : `${done} ${unit}`;
    return `${label}: ${count}${rate > 0 ? `, ${rate.toFixed(1)} ${unit}/s` : ''}${eta ? `, ETA ${eta}` : ''}\n`;
  };
  const draw = (): void => {
    stream.write(`\r${barLine()}\x1b[K`);
    drawn = true;
    lastDraw = now();
  };
  const print = (): void => {
    stream.write(plainLine());
    printed = done;
    lastDraw = now();
  };

  return {
    update(d, t) {
      if (stopped) return;
      startedAt ??= now();
      done = d;
      total = t;
      const final = t !== null && d >= t;
      finishedAt = final ? (finishedAt ?? now()) : undefined;
      if (tty) {
        if (final || now() - lastDraw >= REDRAW_MS) draw();
      } else if (final || now() - lastDraw >= intervalMs) {
        if (printed !== done) print();
      }
    },
    log(line) {
      if (tty && drawn && !stopped) {
        stream.write(`\r\x1b[K${line}\n`);
        draw();
      } else {
        stream.write(`${line}\n`);
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (startedAt === undefined) return;
      if (tty) {
        draw();
        stream.write('\n');
      } else if (printed !== done) {
        print();
      }
    },
  };
}

const percent = (done: number, total: number): string => `${Math.round((100 * done) / Math.max(total, 1))}%`;

/** 75 → "1 min 15 s", 9.2 → "9 s". */
export function formatSeconds(s: number): string {
  const r = Math.max(0, Math.round(s));
  if (r < 60) return `${r} s`;
  const m = Math.floor(r / 60);
  if (m < 60) return `${m} min ${r % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
