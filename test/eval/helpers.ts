import { boxFromXywh, makeBox } from '../../src/core/index.js';
import type { GroundTruthBox, ScoredBox } from '../../src/eval/index.js';

/** Ground-truth box from corners. */
export const g = (x1: number, y1: number, x2: number, y2: number, classId = 0): GroundTruthBox => ({ box: makeBox(x1, y1, x2, y2), classId });
/** Prediction from corners. */
export const p = (x1: number, y1: number, x2: number, y2: number, score: number, classId = 0): ScoredBox => ({ box: makeBox(x1, y1, x2, y2), score, classId });

/** One frame of the parity fixture file: gt [x,y,w,h,classId], preds [x,y,w,h,score,classId]. */
export interface FixtureFrame {
  frame: number;
  gt: [number, number, number, number, number][];
  preds: [number, number, number, number, number, number][];
}

/** Converts fixture frames to the metric inputs. */
export function fixtureMaps(frames: readonly FixtureFrame[]): { gt: Map<number, GroundTruthBox[]>; preds: Map<number, ScoredBox[]> } {
  const gt = new Map<number, GroundTruthBox[]>();
  const preds = new Map<number, ScoredBox[]>();
  for (const fr of frames) {
    gt.set(fr.frame, fr.gt.map(([x, y, w, h, c]) => ({ box: boxFromXywh(x, y, w, h), classId: c })));
    preds.set(fr.frame, fr.preds.map(([x, y, w, h, s, c]) => ({ box: boxFromXywh(x, y, w, h), score: s, classId: c })));
  }
  return { gt, preds };
}
