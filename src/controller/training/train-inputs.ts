import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../core/index.js';
import type { TrainVideo } from './train-policy.js';

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
