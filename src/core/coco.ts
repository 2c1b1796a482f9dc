import { ValidationError } from './errors.js';

/** The 80 COCO class names in the contiguous 0-based order used by YOLOX, NanoDet and CenterNet. */
export const COCO_LABELS: readonly string[] = Object.freeze([
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard',
  'tennis racket', 'bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple',
  'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch',
  'potted plant', 'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard',
  'cell phone', 'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase',
  'scissors', 'teddy bear', 'hair drier', 'toothbrush',
]);

/** Number of COCO classes (80). */
export const COCO_CLASS_COUNT = COCO_LABELS.length;

/** Label for a 0-based COCO class id; `class<N>` for ids outside the table. */
export function cocoLabel(classId: number): string {
  return COCO_LABELS[classId] ?? `class${classId}`;
}

/**
 * Resolves a comma-separated list of COCO class names or 0-based ids ("person,car", "0,2",
 * "traffic light") to sorted, distinct 0-based COCO ids. `what` names the flag or field in messages.
 * Throws a ValidationError naming the unknown entries and listing every valid name.
 */
export function parseClassList(spec: string, what = '--classes'): number[] {
  const out = new Set<number>();
  const unknown: string[] = [];
  const entries = spec.split(',').map((s) => s.trim()).filter(Boolean);
  for (const raw of entries) {
    const id = /^\d+$/.test(raw) ? Number(raw) : COCO_LABELS.indexOf(raw.toLowerCase());
    if (id >= 0 && id < COCO_CLASS_COUNT) out.add(id);
    else unknown.push(raw);
  }
  if (unknown.length || entries.length === 0) {
    const got = entries.length === 0 ? 'an empty list' : `unknown ${unknown.map((u) => JSON.stringify(u)).join(', ')}`;
    throw new ValidationError(
      `${what}: expected COCO class names or ids 0–${COCO_CLASS_COUNT - 1} separated by commas, got ${got}. Valid names: ${COCO_LABELS.join(', ')}`,
      { field: what, unknown },
    );
  }
  return [...out].sort((a, b) => a - b);
}

/** Names of 0-based COCO ids, comma-separated ("person, car"). */
export function formatClassList(ids: readonly number[]): string {
  return ids.map(cocoLabel).join(', ');
}
