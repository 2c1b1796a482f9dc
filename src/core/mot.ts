import { type Box, boxFromXywh, boxToXywh } from './box.js';
import { ValidationError } from './errors.js';

/**
 * One row of a MOTChallenge text file: `frame,id,x,y,w,h,score,a,b,c` with 1-based frames and a
 * top-left/width/height box. Used for ground truth (gt.txt), tracker output (id ≥ 1, a=b=c=-1) and
 * detections (id = -1, `a` = class id).
 */
export interface MotRow {
  /** 1-based frame number as written in the file. */
  readonly frame: number;
  readonly id: number;
  readonly box: Box;
  /** Column 7: score for results/detections, "consider" flag (0/1) for ground truth. */
  readonly score: number;
  /** Column 8: class id for MOT-det rows and MOT17 gt, -1 when unused. */
  readonly classOrX: number;
  /** Column 9: visibility for MOT17 gt, -1 when unused. */
  readonly visibilityOrY: number;
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/** Formats a row as `frame,id,x,y,w,h,score,a,b,-1` (boxes with 2 decimals). */
export function formatMotRow(row: MotRow): string {
  const [x, y, w, h] = boxToXywh(row.box);
  const score = Number.isInteger(row.score) ? String(row.score) : row.score.toFixed(4);
  return [row.frame, row.id, fmt(x), fmt(y), fmt(w), fmt(h), score, row.classOrX, row.visibilityOrY, -1].join(',');
}

/**
 * Parses MOT text (comma or whitespace separated). Blank lines and `#` comments are skipped. Throws a
 * ValidationError naming `source` and the 1-based line number on a malformed row.
 */
export function parseMot(text: string, source = 'MOT file'): MotRow[] {
  const rows: MotRow[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(/[,\s]+/).map(Number);
    const where = `${source}:${i + 1}`;
    if (parts.length < 6 || parts.slice(0, 6).some((v) => !Number.isFinite(v))) {
      throw new ValidationError(`${where}: expected "frame,id,x,y,w,h[,score,...]" with numbers, got ${JSON.stringify(line.slice(0, 80))}`, { source, line: i + 1 });
    }
    const [frame, id, x, y, w, h] = parts;
    if (!Number.isInteger(frame) || frame < 1) {
      throw new ValidationError(`${where}: frame must be an integer ≥ 1 (MOT frames are 1-based), got ${frame}`, { source, line: i + 1 });
    }
    if (w < 0 || h < 0) throw new ValidationError(`${where}: width/height must be ≥ 0, got ${w}x${h}`, { source, line: i + 1 });
    rows.push(Object.freeze({
      frame,
      id,
      box: boxFromXywh(x, y, w, h, where),
      score: Number.isFinite(parts[6]) ? parts[6] : 1,
      classOrX: Number.isFinite(parts[7]) ? parts[7] : -1,
      visibilityOrY: Number.isFinite(parts[8]) ? parts[8] : -1,
    }));
  }
  return rows;
}

/** Groups rows by 1-based frame number. */
export function groupMotByFrame(rows: readonly MotRow[]): Map<number, MotRow[]> {
  const byFrame = new Map<number, MotRow[]>();
  for (const r of rows) {
    const list = byFrame.get(r.frame);
    if (list) list.push(r);
    else byFrame.set(r.frame, [r]);
  }
  return byFrame;
}
