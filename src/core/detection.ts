import { type Box, makeBox } from './box.js';
import { ValidationError, describeValue, requireInteger } from './errors.js';

/** One detector output in frame pixels. Immutable. */
export interface Detection {
  readonly box: Box;
  /** Detector confidence in [0, 1]. */
  readonly score: number;
  /** 0-based COCO-80 class id (0 = person). */
  readonly classId: number;
}

/** Creates a frozen, validated detection. */
export function makeDetection(box: Box, score: number, classId: number, field = 'detection'): Detection {
  if (typeof score !== 'number' || !(score >= 0 && score <= 1)) {
    throw new ValidationError(`${field}.score: expected a number in [0, 1], got ${describeValue(score)}`, { field, score });
  }
  requireInteger(classId, `${field}.classId`, 0);
  return Object.freeze({ box: makeBox(box.x1, box.y1, box.x2, box.y2, `${field}.box`), score, classId });
}
