import { type Detection, clipBox, scaleBox } from '../core/index.js';

/**
 * Maps detections from the pixels of the (resized) offloaded JPEG back to frame pixels, clipped to
 * the frame. Detections whose box becomes empty are dropped.
 */
export function scaleDetectionsToFrame(
  detections: readonly Detection[],
  from: { width: number; height: number },
  to: { width: number; height: number },
): Detection[] {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  const out: Detection[] = [];
  for (const d of detections) {
    const box = clipBox(scaleBox(d.box, sx, sy), to.width, to.height);
    if (box.x2 - box.x1 <= 0 || box.y2 - box.y1 <= 0) continue;
    out.push(Object.freeze({ box, score: d.score, classId: d.classId }));
  }
  return out;
}
