/** Log levels, most verbose first. `silent` logs nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured logger: a message plus flat fields. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written. Default `info`. */
  readonly level?: LogLevel;
  /** Where lines go. Default `process.stderr`. */
  readonly stream?: { write(line: string): unknown };
  /** Fields added to every line (e.g. `{ component: 'edge' }`). */
  readonly base?: Record<string, unknown>;
}

/** True when `value` is a {@link LogLevel}. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * A logger that writes one JSON object per line: `{"time":ISO,"level":…,"msg":…,...fields}`.
 * Fields that fail to serialise are replaced by their string form; logging never throws.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  if (!isLogLevel(level)) throw new TypeError(`level: expected one of ${LOG_LEVELS.join(', ')}, got ${String(level)}`);
  const stream = options.stream ?? process.stderr;
  const min = LOG_LEVELS.indexOf(level);
  const base = options.base ?? {};
  const write = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (LOG_LEVELS.indexOf(lvl) < min) return;
    let line: string;
    try {
      line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...base, ...fields });
    } catch {
      line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, fields: String(fields) });
    }
    try {
      stream.write(`${line}\n`);
    } catch {
      // a closed stderr must not take the server down
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger({ level: 'silent' });
