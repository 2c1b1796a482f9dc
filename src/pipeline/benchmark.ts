import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findSeqInfo } from '../eval/index.js';
import { DEBIAN_VTEST_PATH, petsVideoCachePath } from '../video/index.js';

/** One MOTChallenge-style sequence of a benchmark folder. */
export interface BenchmarkSequence {
  /** Folder name. */
  readonly name: string;
  readonly dir: string;
  /** `video.mp4`, or the image folder (`img1/`, or seqinfo.ini's `imDir`). */
  readonly input: string;
  /** `gt.txt` or `gt/gt.txt`. */
  readonly gt: string;
}

/** A benchmark folder's sequences, and the sub-folders left out with the reason. */
export interface BenchmarkFolder {
  readonly sequences: readonly BenchmarkSequence[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/**
 * Sequences whose video is known under another name when their folder has none: PETS09-S2L1 is
 * OpenCV's `vtest.avi` (795 frames, aligned with its gt.txt; fetched by scripts/fetch-pets-video.sh).
 */
export const KNOWN_SEQUENCE_VIDEOS: Readonly<Record<string, () => readonly string[]>> = {
  'PETS09-S2L1': () => [petsVideoCachePath(), DEBIAN_VTEST_PATH],
};

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
const gtOf = (dir: string): string | undefined => [join(dir, 'gt.txt'), join(dir, 'gt', 'gt.txt')].find((p) => existsSync(p));

/** True when `path` is a folder with at least one sub-folder holding `gt.txt` or `gt/gt.txt`. */
export function isBenchmarkFolder(path: string): boolean {
  if (!isDir(path)) return false;
  return readdirSync(path).some((n) => !n.startsWith('.') && isDir(join(path, n)) && gtOf(join(path, n)) !== undefined);
}

/**
 * Lists the sequences of a benchmark folder (MOTChallenge layout: one sub-folder per sequence with
 * `video.mp4` or `img1/`, `gt.txt` or `gt/gt.txt`, and `seqinfo.ini`), sorted by name; a sequence of
 * {@link KNOWN_SEQUENCE_VIDEOS} without video uses its known file. Sub-folders without ground truth or
 * without video are reported in `skipped`.
 */
export function discoverSequences(root: string): BenchmarkFolder {
  const sequences: BenchmarkSequence[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const name of readdirSync(root).filter((n) => !n.startsWith('.')).sort()) {
    const dir = join(root, name);
    if (!isDir(dir)) continue;
    const gt = gtOf(dir);
    if (!gt) {
      skipped.push({ name, reason: 'no gt.txt or gt/gt.txt' });
      continue;
    }
    const info = findSeqInfo(join(dir, 'gt.txt'))?.info;
    const imDir = info?.imDir ?? 'img1';
    const known = KNOWN_SEQUENCE_VIDEOS[info?.name ?? name]?.() ?? [];
    const input = [join(dir, 'video.mp4'), join(dir, imDir), ...known].find((p) => existsSync(p));
    if (!input) {
      skipped.push({ name, reason: `no video.mp4 and no ${imDir}/ image folder${known.length ? ` (nor ${known.join(' or ')})` : ''}` });
      continue;
    }
    sequences.push({ name, dir, input, gt });
  }
  return { sequences, skipped };
}
