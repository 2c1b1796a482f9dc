import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { ValidationError } from '../../core/index.js';

/**
 * Streaming reader for .tgz archives (ustar, as written by `npm pack`) that keeps only the wanted
 * entries in memory. Avoids spawning `tar` so it works the same on every platform.
 */

const BLOCK = 512;

function readString(buf: Buffer, start: number, len: number): string {
  const end = buf.indexOf(0, start);
  return buf.toString('utf8', start, end === -1 || end > start + len ? start + len : end);
}

function readOctal(buf: Buffer, start: number, len: number): number {
  const s = readString(buf, start, len).trim();
  return s ? parseInt(s, 8) : 0;
}

/**
 * Extracts the entries whose paths are in `wanted` from a gzip-compressed tar file. Resolves to a map
 * path → bytes; rejects with a ValidationError when the archive is corrupt or a wanted entry is missing.
 */
export function extractFromTgz(file: string, wanted: readonly string[]): Promise<Map<string, Buffer>> {
  const want = new Set(wanted);
  const found = new Map<string, Buffer>();
  return new Promise((resolve, reject) => {
    let pending: Buffer = Buffer.alloc(0);
    let current: { name: string; size: number; remaining: number; keep: boolean; parts: Buffer[] } | undefined;
    let padding = 0;
    let ended = false;
    const gunzip = createGunzip();
    const input = createReadStream(file);
    const fail = (e: Error): void => {
      input.destroy();
      gunzip.destroy();
      reject(e instanceof ValidationError ? e : new ValidationError(`${file}: cannot read archive: ${e.message}`, { file }));
    };
    input.on('error', fail);
    gunzip.on('error', fail);
    gunzip.on('data', (chunk: Buffer) => {
      if (ended) return;
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let off = 0;
      for (;;) {
        if (current) {
          const take = Math.min(current.remaining, pending.length - off);
          if (current.keep && take > 0) current.parts.push(Buffer.from(pending.subarray(off, off + take)));
          current.remaining -= take;
          off += take;
          if (current.remaining > 0) break;
          if (current.keep) found.set(current.name, Buffer.concat(current.parts));
          padding = (BLOCK - (current.size % BLOCK)) % BLOCK;
          current = undefined;
        }
        if (padding > 0) {
          const skip = Math.min(padding, pending.length - off);
          padding -= skip;
          off += skip;
          if (padding > 0) break;
        }
        if (pending.length - off < BLOCK) break;
        const header = pending.subarray(off, off + BLOCK);
        off += BLOCK;
        if (header.every((b) => b === 0)) {
          ended = found.size === want.size;
          continue;
        }
        const size = readOctal(header, 124, 12);
        const type = String.fromCharCode(header[156] || 48);
        const prefix = readString(header, 345, 155);
        const name = prefix ? `${prefix}/${readString(header, 0, 100)}` : readString(header, 0, 100);
        // Entries of other types (directories, pax headers 'x'/'g') are skipped like unwanted files.
        current = { name, size, remaining: size, keep: type === '0' && want.has(name), parts: [] };
      }
      pending = pending.subarray(off);
      if (found.size === want.size && [...want].every((w) => found.has(w))) {
        ended = true;
        input.destroy();
        gunzip.destroy();
        resolve(found);
      }
    });
    gunzip.on('end', () => {
      if (ended) return;
      const missing = wanted.filter((w) => !found.has(w));
      if (missing.length) reject(new ValidationError(`${file}: archive does not contain ${missing.join(', ')}`, { file, missing }));
      else resolve(found);
    });
    input.pipe(gunzip);
  });
}
