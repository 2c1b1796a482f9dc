import { readFileSync } from 'node:fs';
import { type MotRow, ValidationError, cocoLabel, formatClassList, parseClassList, parseMot } from '../core/index.js';
import { findSeqInfo } from './seqinfo.js';
import type { GroundTruthBox } from './types.js';

/**
 * MOTChallenge class ids (column 8 of MOT16/17/20 gt.txt) that have a COCO counterpart: 1 pedestrian,
 * 2 person on vehicle and 7 static person → person; 3 car → car; 4 bicycle → bicycle; 5 motorbike →
 * motorcycle. The others (non-motorised vehicle, distractor, occluders, reflection, crowd) have none:
 * their rows are not scored.
 */
export const MOT_CLASS_TO_COCO: ReadonlyMap<number, number> = new Map([[1, 0], [2, 0], [7, 0], [3, 2], [4, 1], [5, 3]]);

/** Where the scored class of a gt.txt came from, in order of precedence. */
export type GtClassSource = 'flag' | 'seqinfo' | 'mot-column-8' | 'default';

/** Ground truth with its scored classes and where they came from. */
export interface ClassedGroundTruth {
  /** Boxes keyed by 0-based frame, each with its COCO class and MOT identity. */
  readonly boxes: Map<number, GroundTruthBox[]>;
  /** Scored 0-based COCO classes (sorted). */
  readonly classIds: readonly number[];
  readonly source: GtClassSource;
  /** One line for reports: "cow (objectClass in …/seqinfo.ini)". */
  readonly description: string;
}

/** Options of {@link classifyGroundTruth}. */
export interface GtClassOptions {
  /** `--gt-class`: a COCO name or id (or comma list) given to every box; overrides everything else. */
  readonly gtClass?: string;
  /** `--classes`: only these classes are scored; an empty intersection with the gt's classes throws. */
  readonly classes?: readonly number[];
  /** `objectClass` of the seqinfo.ini beside gt.txt and its path (see findSeqInfo). */
  readonly seqinfo?: { readonly path: string; readonly objectClass?: string };
}

/** True when column 8 holds MOT class ids: every row has an integer 1…13 there and column 9 is a visibility (or −1). */
export function hasMotClassColumn(rows: readonly MotRow[]): boolean {
  return rows.length > 0 && rows.every((r) => Number.isInteger(r.classOrX) && r.classOrX >= 1 && r.classOrX <= 13 &&
    (r.visibilityOrY === -1 || (r.visibilityOrY >= 0 && r.visibilityOrY <= 1)));
}

/**
 * Gives every considered gt row (column 7 ≠ 0) a COCO class: from `gtClass`, else `objectClass` in
 * seqinfo.ini, else MOT class ids in column 8 ({@link MOT_CLASS_TO_COCO}), else person. When column 8
 * holds MOT class ids and the class comes from the flag or seqinfo.ini, only rows of that class are
 * kept. Throws a ValidationError, before anything runs, when a class name is unknown, when no box
 * has the scored class, or when `classes` leaves nothing to score.
 */
export function classifyGroundTruth(rows: readonly MotRow[], source: string, options: GtClassOptions = {}): ClassedGroundTruth {
  const considered = rows.filter((r) => r.score !== 0);
  const column8 = hasMotClassColumn(considered);
  let named: { ids: number[]; source: GtClassSource; where: string } | undefined;
  if (options.gtClass !== undefined) named = { ids: parseClassList(options.gtClass, '--gt-class'), source: 'flag', where: '--gt-class' };
  else if (options.seqinfo?.objectClass) {
    named = { ids: parseClassList(options.seqinfo.objectClass, `objectClass in ${options.seqinfo.path}`), source: 'seqinfo', where: `objectClass in ${options.seqinfo.path}` };
  }
  const boxes = new Map<number, GroundTruthBox[]>();
  const add = (r: MotRow, classId: number) => {
    const list = boxes.get(r.frame - 1) ?? [];
    list.push(Object.freeze({ box: r.box, classId, id: r.id }));
    boxes.set(r.frame - 1, list);
  };
  const scored = options.classes ? new Set(options.classes) : undefined;
  let classIds: number[];
  let gtSource: GtClassSource;
  let where: string;
  if (named) {
    classIds = named.ids;
    gtSource = named.source;
    where = named.where;
    if (named.ids.length !== 1 && !column8) throw new ValidationError(`${where}: a gt.txt without MOT class ids in column 8 holds one class, got ${formatClassList(named.ids)}`);
    if (column8) {
      const inFile = classCounts(considered);
      for (const r of considered) {
        const c = MOT_CLASS_TO_COCO.get(r.classOrX);
        if (c !== undefined && named.ids.includes(c)) add(r, c);
      }
      if (boxes.size === 0) {
        throw new ValidationError(`${source}: no box of class ${formatClassList(named.ids)} (from ${where}); column 8 holds ${inFile}. Pass --gt-class with one of those classes`, { source, classes: named.ids });
      }
    } else {
      for (const r of considered) add(r, named.ids[0]);
    }
  } else if (column8) {
    gtSource = 'mot-column-8';
    where = 'MOT class ids in column 8';
    for (const r of considered) {
      const c = MOT_CLASS_TO_COCO.get(r.classOrX);
      if (c !== undefined) add(r, c);
    }
    classIds = [...new Set([...boxes.values()].flat().map((b) => b.classId))].sort((a, b) => a - b);
    if (classIds.length === 0) {
      throw new ValidationError(`${source}: column 8 holds MOT class ids (${classCounts(considered)}) of which none has a COCO class (1 pedestrian, 3 car, 4 bicycle, 5 motorbike); pass --gt-class NAME`, { source });
    }
  } else {
    gtSource = 'default';
    where = 'default: no --gt-class, no objectClass in a seqinfo.ini beside gt.txt, no MOT class ids in column 8';
    classIds = [0];
    for (const r of considered) add(r, 0);
  }
  if (considered.length === 0) throw new ValidationError(`${source}: no ground-truth box to score (every row has column 7 = 0, or the file is empty)`, { source });
  if (scored) {
    const kept = classIds.filter((c) => scored.has(c));
    if (kept.length === 0) {
      throw new ValidationError(
        `--classes ${formatClassList([...scored])} excludes every ground-truth class of ${source}: ${formatClassList(classIds)} (${where}). Add it to --classes or pass --gt-class`,
        { source, classes: [...scored], gtClasses: classIds },
      );
    }
    if (kept.length < classIds.length) {
      for (const [f, list] of boxes) boxes.set(f, list.filter((b) => scored.has(b.classId)));
      classIds = kept;
    }
  }
  return Object.freeze({ boxes, classIds: Object.freeze(classIds), source: gtSource, description: `${formatClassList(classIds)} (${where})` });
}

/**
 * Reads a MOT gt.txt and classifies it ({@link classifyGroundTruth}), looking for a seqinfo.ini beside
 * it unless `options.seqinfo` is given.
 */
export function loadClassedGroundTruth(path: string, options: Omit<GtClassOptions, 'seqinfo'> = {}): ClassedGroundTruth {
  const rows = parseMot(readFileSync(path, 'utf8'), path);
  const found = findSeqInfo(path);
  const seqinfo = found ? { path: found.path, objectClass: found.info.objectClass } : undefined;
  return classifyGroundTruth(rows, path, { ...options, ...(seqinfo ? { seqinfo } : {}) });
}

function classCounts(rows: readonly MotRow[]): string {
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.classOrX, (counts.get(r.classOrX) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]).map(([k, n]) => {
    const c = MOT_CLASS_TO_COCO.get(k);
    return `${n} rows of MOT class ${k}${c === undefined ? ' (no COCO class)' : ` (${cocoLabel(c)})`}`;
  }).join(', ');
}
