import { type Track, formatClassList, parseClassList } from '../core/index.js';
import { type ClassedGroundTruth, type GroundTruth, type GtClassSource, type TrackScore, loadClassedGroundTruth, oracleGroundTruth, scoreTracks } from '../eval/index.js';
import { oracleDetections } from './oracle.js';

/** Ground truth for a run: human (MOT gt.txt) or the oracle detector. */
export interface RunGroundTruth {
  readonly kind: 'human' | 'oracle';
  readonly boxes: GroundTruth;
  /** Scored 0-based COCO classes; undefined = every class the oracle found. */
  readonly classes?: readonly number[];
  /** Where the scored class came from (human ground truth), or `oracle`. */
  readonly classSource: GtClassSource | 'oracle';
  /** For reports: "cow (objectClass in …/seqinfo.ini)". */
  readonly classDescription: string;
}

/** Minimum oracle score that counts as ground truth. */
export const ORACLE_MIN_SCORE = 0.5;

/** Class options of a run: `--classes` (tracked and scored) and `--gt-class` (class of gt.txt boxes). */
export interface RunClassOptions {
  readonly classes?: readonly number[];
  readonly gtClass?: string;
}

/**
 * Reads and classifies a human gt.txt for a run (see classifyGroundTruth): cheap, so runs call it
 * before any work and fail early on a bad class or a gt.txt without a box of the scored class.
 */
export function loadHumanGroundTruth(gt: string, options: RunClassOptions = {}): RunGroundTruth {
  const c: ClassedGroundTruth = loadClassedGroundTruth(gt, options);
  return { kind: 'human', boxes: c.boxes, classes: c.classIds, classSource: c.source, classDescription: c.description };
}

/**
 * The ground truth of a run: `human` when given (loaded before the run), else the oracle (the detector
 * on every frame at full quality, cached; score ≥ 0.5) restricted to `--gt-class` or `--classes`.
 */
export async function loadRunGroundTruth(
  input: string,
  options: RunClassOptions & { human?: RunGroundTruth; model: string; frames: number; onProgress?: (done: number) => void },
): Promise<RunGroundTruth> {
  if (options.human) return options.human;
  const dets = await oracleDetections(input, { model: options.model, frames: options.frames, onProgress: options.onProgress });
  const classes = options.gtClass !== undefined ? parseClassList(options.gtClass, '--gt-class') : options.classes;
  return {
    kind: 'oracle',
    boxes: oracleGroundTruth(dets, { minScore: ORACLE_MIN_SCORE, ...(classes ? { classes } : {}) }),
    ...(classes ? { classes } : {}),
    classSource: 'oracle',
    classDescription: classes ? `${formatClassList(classes)} (oracle detections of ${options.gtClass !== undefined ? '--gt-class' : '--classes'})` : 'every class the oracle detects',
  };
}

/** Checks `--gt-class` alone (no gt.txt): a bad name fails before the run. */
export function checkGtClass(gtClass: string | undefined): void {
  if (gtClass !== undefined) parseClassList(gtClass, '--gt-class');
}

/**
 * Scores a run's tracks (state `tracked`) over frames 0..frames−1: mAR, AR50, precision, F1 and, with
 * human ground truth, CLEAR-MOT, IDF1 and HOTA on the scored classes.
 */
export function evaluateTracks(tracksByFrame: ReadonlyMap<number, readonly Track[]>, gt: RunGroundTruth, frames: number): TrackScore {
  const classes = gt.classes ?? [...new Set([...gt.boxes.values()].flat().map((b) => b.classId))].sort((a, b) => a - b);
  const preds = new Map([...tracksByFrame].map(([f, ts]) => [f, ts.map((t) => ({ box: t.box, id: t.id, score: t.score, classId: t.classId }))]));
  if (classes.length === 0) {
    // the oracle found nothing: detection metrics are NaN, as before, and nothing to warn about
    return { ...scoreTracks(gt.boxes, [0], preds, { frames, tracking: false }), warnings: [] };
  }
  return scoreTracks(gt.boxes, classes, preds, { frames, tracking: gt.kind === 'human' });
}
