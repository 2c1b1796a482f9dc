/**
 * The annotated development sequences of ../shared/data/sequences (PETS09-S2L1 through the full
 * vtest.avi, TUD-Stadtmitte, seven DAVIS16 ones) with their ground truth in the sequence's class
 * (`objectClass` of seqinfo.ini, COCO label → id; person when absent).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COCO_LABELS } from '../../src/core/index.js';
import { type GroundTruth, loadMotGroundTruth } from '../../src/eval/index.js';
import { findPetsVideo } from '../../src/video/pets-video.js';

/** ../shared/data/sequences as seen from this worktree. */
export const SEQUENCES_DIR = fileURLToPath(new URL('../../../shared/data/sequences', import.meta.url));

/** One development sequence. */
export interface DevSequence {
  readonly name: string;
  readonly video: string;
  readonly gt: GroundTruth;
  readonly classId: number;
  readonly className: string;
}

function objectClass(dir: string): string {
  const ini = join(dir, 'seqinfo.ini');
  if (!existsSync(ini)) return 'person';
  const m = /^objectClass\s*=\s*(.+)$/m.exec(readFileSync(ini, 'utf8'));
  return m ? m[1].trim() : 'person';
}

/** The sequences present (PETS09 only when its video is found); empty when ../shared is absent. */
export async function devSequences(only?: readonly string[]): Promise<DevSequence[]> {
  if (!existsSync(SEQUENCES_DIR)) return [];
  const out: DevSequence[] = [];
  for (const name of readdirSync(SEQUENCES_DIR).sort()) {
    if (only && !only.includes(name)) continue;
    const dir = join(SEQUENCES_DIR, name);
    const gtPath = join(dir, 'gt.txt');
    if (!existsSync(gtPath)) continue;
    const video = name === 'PETS09-S2L1' ? await findPetsVideo() : join(dir, 'video.mp4');
    if (!video || !existsSync(video)) continue;
    const className = objectClass(dir);
    const classId = COCO_LABELS.indexOf(className);
    if (classId < 0) throw new Error(`${dir}/seqinfo.ini: objectClass ${className} is not a COCO label`);
    out.push({ name, video, gt: loadMotGroundTruth(gtPath, { classId }), classId, className });
  }
  return out;
}
