import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { VideoError } from '../errors.js';
import { waitDrain } from './wait-drain.js';

/**
 * An append-only text file written through a stream, backpressure-aware: `write` resolves once the
 * stream accepts more data (after 'drain' when its buffer is full). `close()` flushes and closes the
 * file; it is idempotent and later writes reject with `WRITER_CLOSED`. Creates parent folders.
 */
export class LineWriter {
  private readonly stream: WriteStream;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.stream.on('error', (err) => {
      this.failure ??= err;
    });
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Appends `text` (caller supplies the newlines). */
  async write(text: string): Promise<void> {
    if (this.closing) throw new VideoError('WRITER_CLOSED', `cannot write to ${this.path}: writer is closed`, { path: this.path });
    if (this.failure) throw this.failure;
    if (!this.stream.write(text)) {
      await waitDrain(this.stream);
      if (this.failure) throw this.failure;
    }
  }

  /** Flushes and closes the file. Idempotent: every call returns the same promise. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve, reject) => {
      if (this.stream.closed || this.stream.destroyed) {
        if (this.failure) reject(this.failure);
        else resolve();
        return;
      }
      this.stream.end(() => (this.failure ? reject(this.failure) : resolve()));
      this.stream.once('error', reject);
    });
    return this.closing;
  }
}
