import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The `[Sequence]` section of a MOTChallenge `seqinfo.ini`, keys as written (e.g. `seqLength`, `objectClass`). */
export type SeqInfo = Readonly<Record<string, string>>;

/**
 * Parses `seqinfo.ini` text: `key=value` lines of the `[Sequence]` section (or of no section);
 * `;`/`#` comments and other sections are ignored.
 */
export function parseSeqInfo(text: string): SeqInfo {
  const out: Record<string, string> = {};
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      section = head[1].trim().toLowerCase();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || (section !== '' && section !== 'sequence')) continue;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return Object.freeze(out);
}

/**
 * Reads the `seqinfo.ini` beside a gt.txt: in the same folder, or one level up for the MOTChallenge
 * layout `SEQ/gt/gt.txt`. Returns the path and parsed fields, or undefined when there is none.
 */
export function findSeqInfo(gtPath: string): { path: string; info: SeqInfo } | undefined {
  const dirs = basename(dirname(gtPath)) === 'gt' ? [dirname(gtPath), dirname(dirname(gtPath))] : [dirname(gtPath)];
  for (const dir of dirs) {
    const path = join(dir, 'seqinfo.ini');
    if (existsSync(path)) return { path, info: parseSeqInfo(readFileSync(path, 'utf8')) };
  }
  return undefined;
}
