import { readFileSync } from 'node:fs';
import { type MotRow, ValidationError, cocoLabel, parseMot } from '../core/index.js';
import { type ClassedGroundTruth, loadClassedGroundTruth } from './gt-class.js';
import { type TrackScore, type TrackedPrediction, scoreTracks } from './score-tracks.js';
import { type TrackingSummary, toTrackingSummary } from './run-summary.js';

/** Options of {@link scoreMotFiles}. */
export interface ScoreFilesOptions {
  /** Class of the gt.txt boxes (`--gt-class`); default from seqinfo.ini, column 8, else person. */
  readonly gtClass?: string;
  /** Score only these 0-based COCO classes (`--classes`). */
  readonly classes?: readonly number[];
  /**
   * Ignore column 8 of the predictions: every row counts as the scored class. Default: column 8 is
   * edgetrack's class column (0-based COCO id, −1 = none); a file with −1 everywhere (the usual MOT
   * result of other trackers) counts as the scored class anyway.
   */
  readonly ignorePredClass?: boolean;
}

/** What `edgetrack score` reports (also its `--json` output). */
export interface FileScore {
  readonly gt: string;
  readonly predictions: string;
  readonly scoredClasses: readonly string[];
  readonly classSource: string;
  readonly frames: number;
  readonly gtBoxes: number;
  readonly predictedBoxes: number;
  readonly mar: number;
  readonly ar50: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly tracking: TrackingSummary | undefined;
  readonly warnings: readonly string[];
}

/**
 * Scores a MOT tracker output file (edgetrack's tracks.txt or any MOTChallenge result file) against a
 * MOT gt.txt: COCO mAR/AR50/precision/F1 and CLEAR-MOT, IDF1, HOTA, on the gt's class (see
 * classifyGroundTruth). Frames: every frame present in either file.
 */
export function scoreMotFiles(gtPath: string, predPath: string, options: ScoreFilesOptions = {}): { score: TrackScore; gt: ClassedGroundTruth; summary: FileScore } {
  const gt = loadClassedGroundTruth(gtPath, { gtClass: options.gtClass, classes: options.classes });
  const rows = parseMot(readFileSync(predPath, 'utf8'), predPath);
  const preds = motRowsToTracked(rows, predPath, options.ignorePredClass ?? false);
  const score = scoreTracks(gt.boxes, gt.classIds, preds);
  const d = score.detection;
  const summary: FileScore = {
    gt: gtPath,
    predictions: predPath,
    scoredClasses: gt.classIds.map(cocoLabel),
    classSource: gt.description,
    frames: d.frames,
    gtBoxes: d.gtCount,
    predictedBoxes: rows.length,
    mar: d.mar,
    ar50: d.ar50,
    precision: d.precision,
    recall: d.recall,
    f1: d.f1,
    tracking: score.tracking ? toTrackingSummary(score.tracking) : undefined,
    warnings: score.warnings,
  };
  return { score, gt, summary };
}

/**
 * MOT result rows to tracked predictions keyed by 0-based frame. Column 8 is read as the 0-based
 * COCO class unless `ignoreClass` or it is −1 on every row. Rows with id < 0 are refused (a detection
 * file, not tracks).
 */
export function motRowsToTracked(rows: readonly MotRow[], source: string, ignoreClass: boolean): Map<number, TrackedPrediction[]> {
  const classed = !ignoreClass && rows.some((r) => r.classOrX !== -1);
  const out = new Map<number, TrackedPrediction[]>();
  for (const r of rows) {
    if (r.id < 0) throw new ValidationError(`${source}: frame ${r.frame} has id ${r.id}; expected tracks (ids ≥ 0), got a detection file?`, { source, frame: r.frame });
    if (classed && !(Number.isInteger(r.classOrX) && r.classOrX >= -1)) {
      throw new ValidationError(`${source}: frame ${r.frame} id ${r.id}: column 8 is ${r.classOrX}, expected a 0-based COCO class id or −1 (pass --ignore-pred-class for files that use it otherwise)`, { source, frame: r.frame });
    }
    const list = out.get(r.frame - 1) ?? [];
    list.push({ box: r.box, id: r.id, score: r.score, ...(classed && r.classOrX >= 0 ? { classId: r.classOrX } : {}) });
    out.set(r.frame - 1, list);
  }
  return out;
}
