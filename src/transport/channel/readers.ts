import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ValidationError } from '../../core/index.js';
import { makeOpportunityTrace, makeRateTrace, type ThroughputTrace } from './trace.js';

/** Trace file formats. `auto` guesses from the first data line. */
export type TraceFormat = 'pensieve' | 'mahimahi' | 'csv' | 'auto';

/** Options of {@link parseTrace} / {@link readTrace}. */
export interface TraceReadOptions {
  /** Default `auto`: a line with a comma → csv; two numbers → pensieve; one integer → mahimahi. */
  readonly format?: TraceFormat;
  /** File name used in error messages and as the trace name. Default `trace`. */
  readonly file?: string;
}

interface Line {
  readonly no: number;
  readonly fields: string[];
  readonly raw: string;
}

function dataLines(text: string, sep: RegExp): Line[] {
  const out: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) return;
    out.push({ no: i + 1, fields: s.split(sep).map((f) => f.trim()), raw: s });
  });
  return out;
}

function fail(file: string, line: number, msg: string): never {
  throw new ValidationError(`${file}:${line}: ${msg}`, { file, line });
}

function num(file: string, l: Line, idx: number, what: string): number {
  const f = l.fields[idx];
  const v = Number(f);
  if (f === undefined || f === '' || !Number.isFinite(v)) fail(file, l.no, `${what}: expected a number, got ${JSON.stringify(f ?? '')}`);
  return v;
}

/** Guesses the format from the first data line. */
export function detectTraceFormat(text: string, file = 'trace'): Exclude<TraceFormat, 'auto'> {
  const first = dataLines(text, /\s+/)[0];
  if (!first) throw new ValidationError(`${file}: empty trace (no data lines)`, { file });
  if (first.raw.includes(',')) return 'csv';
  if (first.fields.length === 2) return 'pensieve';
  if (first.fields.length === 1) return 'mahimahi';
  fail(file, first.no, `cannot tell the format: expected "time_s Mbps", one ms timestamp, or "time_ms,mbps", got ${JSON.stringify(first.raw.slice(0, 60))}`);
}

/**
 * Parses a trace. Formats:
 * - `pensieve`: `time_seconds throughput_Mbps` per line (whitespace separated); each value holds
 *   until the next time, the last one for the previous interval; the trace loops.
 * - `mahimahi`: one integer ms timestamp per line = one 1500-byte delivery opportunity; loops with
 *   period = last timestamp.
 * - `csv`: header `time_ms,mbps`, then rows; same semantics as pensieve but in ms.
 * Errors are ValidationErrors naming `file:line`.
 */
export function parseTrace(text: string, options: TraceReadOptions = {}): ThroughputTrace {
  const file = options.file ?? 'trace';
  const name = basename(file);
  const format = options.format && options.format !== 'auto' ? options.format : detectTraceFormat(text, file);
  if (format === 'mahimahi') {
    const lines = dataLines(text, /\s+/);
    const times = lines.map((l) => {
      if (l.fields.length !== 1) fail(file, l.no, `expected one integer ms timestamp, got ${l.fields.length} fields`);
      const t = num(file, l, 0, 'timestamp');
      if (!Number.isInteger(t) || t < 0) fail(file, l.no, `timestamp: expected an integer ≥ 0, got ${l.fields[0]}`);
      return t;
    });
    for (let i = 1; i < times.length; i++) {
      if (times[i] < times[i - 1]) fail(file, lines[i].no, `timestamp: expected ≥ ${times[i - 1]} (non-decreasing), got ${times[i]}`);
    }
    if (times.length === 0) throw new ValidationError(`${file}: empty trace (no data lines)`, { file });
    if (times[times.length - 1] <= 0) fail(file, lines[lines.length - 1].no, 'last timestamp: expected > 0 (it is the loop period)');
    return makeOpportunityTrace(name, times);
  }
  const csv = format === 'csv';
  let lines = dataLines(text, csv ? /,/ : /\s+/);
  if (csv) {
    const h = lines[0];
    if (!h || h.fields.length !== 2 || h.fields[0].toLowerCase() !== 'time_ms' || h.fields[1].toLowerCase() !== 'mbps') {
      fail(file, h?.no ?? 1, `expected the header "time_ms,mbps", got ${JSON.stringify(h?.raw ?? '')}`);
    }
    lines = lines.slice(1);
  }
  const scale = csv ? 1 : 1000;
  const points = lines.map((l) => {
    if (l.fields.length !== 2) fail(file, l.no, `expected 2 fields (${csv ? 'time_ms,mbps' : 'time_s Mbps'}), got ${l.fields.length}`);
    const t = num(file, l, 0, csv ? 'time_ms' : 'time_s');
    const mbps = num(file, l, 1, 'Mbps');
    if (mbps < 0) fail(file, l.no, `Mbps: expected ≥ 0, got ${mbps}`);
    return { startMs: t * scale, mbps, no: l.no };
  });
  if (points.length === 0) throw new ValidationError(`${file}: empty trace (no data lines)`, { file });
  for (let i = 1; i < points.length; i++) {
    if (!(points[i].startMs > points[i - 1].startMs)) {
      fail(file, points[i].no, `time: expected > ${points[i - 1].startMs / scale} (increasing), got ${points[i].startMs / scale}`);
    }
  }
  if (!points.some((p) => p.mbps > 0)) fail(file, points[0].no, 'expected some capacity: every sample is 0 Mbps');
  const n = points.length;
  const last = n > 1 ? points[n - 1].startMs - points[n - 2].startMs : 1000;
  return makeRateTrace(name, points, last);
}

/** Reads and parses a trace file (see {@link parseTrace}). */
export async function readTrace(path: string, options: Omit<TraceReadOptions, 'file'> = {}): Promise<ThroughputTrace> {
  const text = await readFile(path, 'utf8');
  return parseTrace(text, { ...options, file: path });
}
