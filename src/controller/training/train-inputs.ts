import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ValidationError } from '../../core/index.js';
import type { TrainVideo } from './train-policy.js';
import { AUGMENTATIONS, type Augmentation, augmentSequence } from './augment.js';

/**
 * Expands `--videos`: a video file stays as is (its ground truth from `gts` at the same position, else
 * the oracle); a MOT sequence folder (with `video.mp4`) gives its video and `gt.txt` when present; a
 * folder of sequences gives every sequence in it, sorted. Errors name the entry.
 */
export function expandTrainVideos(entries: readonly string[], gts?: readonly string[]): TrainVideo[] {
  if (gts && gts.length !== entries.length) {
    throw new ValidationError(`--gt: expected one ground truth per --videos entry (${entries.length}), got ${gts.length}`, { field: 'gt' });
  }
  const out: TrainVideo[] = [];
  entries.forEach((e, i) => {
    if (!existsSync(e)) throw new ValidationError(`--videos ${e}: no such file or folder`, { field: 'videos', path: e });
    if (statSync(e).isFile()) {
      out.push({ video: e, ...(gts?.[i] ? { gt: gts[i] } : {}) });
      return;
    }
    const seq = sequenceIn(e);
    if (seq) {
      out.push(seq);
      return;
    }
    const inside = readdirSync(e).sort().map((n) => sequenceIn(join(e, n))).filter((s): s is TrainVideo => s !== undefined);
    if (inside.length === 0) throw new ValidationError(`--videos ${e}: a folder without video.mp4 and without sequence folders containing one`, { field: 'videos', path: e });
    out.push(...inside);
  });
  return out;
}

function sequenceIn(dir: string): TrainVideo | undefined {
  if (!statSync(dir).isDirectory()) return undefined;
  const video = join(dir, 'video.mp4');
  if (!existsSync(video)) return undefined;
  const gt = join(dir, 'gt.txt');
  return { video, ...(existsSync(gt) ? { gt } : {}) };
}

/**
 * Adds the `kinds` augmentations of every training video (augment.ts; built once into the cache with
 * ffmpeg) after the videos themselves. Videos are named by their sequence folder or file name.
 */
export async function withAugmentations(videos: readonly TrainVideo[], kinds: readonly string[]): Promise<TrainVideo[]> {
  checkAugmentKinds(kinds);
  const out: TrainVideo[] = [...videos];
  for (const v of videos) {
    const name = basename(v.video) === 'video.mp4' ? basename(dirname(v.video)) : basename(v.video).replace(/\.[^.]+$/, '');
    for (const k of kinds) {
      const a = await augmentSequence({ name, video: v.video, ...(v.gt ? { gt: v.gt } : {}) }, k as Augmentation);
      out.push({ video: a.video, ...(a.gt ? { gt: a.gt } : {}) });
    }
  }
  return out;
}

/** Throws naming the bad entry unless every kind is an augmentation (and there is at least one). */
export function checkAugmentKinds(kinds: readonly string[]): void {
  if (kinds.length === 0) throw new ValidationError(`--augment: expected a list of ${AUGMENTATIONS.join(', ')}, got none`, { field: 'augment' });
  for (const k of kinds) {
    if (!(AUGMENTATIONS as readonly string[]).includes(k)) throw new ValidationError(`--augment: expected a list of ${AUGMENTATIONS.join(', ')}, got ${JSON.stringify(k)}`, { field: 'augment' });
  }
}
