import { LineWriter } from './line-writer.js';

/**
 * Writes JSON Lines: one `JSON.stringify(record)` per line. Backpressure-aware; `close()` is
 * idempotent. Records must be JSON-serialisable (no cycles, no BigInt).
 */
export class JsonlWriter<T = unknown> {
  private readonly out: LineWriter;
  /** Records written so far. */
  records = 0;

  constructor(readonly path: string) {
    this.out = new LineWriter(path);
  }

  /** Appends one record. */
  async write(record: T): Promise<void> {
    const line = JSON.stringify(record);
    if (line === undefined) throw new TypeError(`JsonlWriter(${this.path}): record is not JSON-serialisable (${typeof record})`);
    await this.out.write(`${line}\n`);
    this.records++;
  }

  /** Flushes and closes the file (idempotent). */
  close(): Promise<void> {
    return this.out.close();
  }
}

/** Parses JSON Lines text (blank lines skipped); throws naming the 1-based line on bad JSON. */
export function parseJsonl<T = unknown>(text: string, source = 'JSONL'): T[] {
  const out: T[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    try {
      out.push(JSON.parse(lines[i]) as T);
    } catch (err) {
      throw new SyntaxError(`${source}:${i + 1}: ${(err as Error).message}`);
    }
  }
  return out;
}
