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
 * Resolves class names or numeric ids ("person", "0", "car") to 0-based COCO ids.
 * Throws an Error listing the unknown names.
 */
export function parseClassList(spec: string): number[] {
  const out: number[] = [];
  const unknown: string[] = [];
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (/^\d+$/.test(raw)) {
      out.push(Number(raw));
      continue;
    }
    const id = COCO_LABELS.indexOf(raw.toLowerCase());
    if (id < 0) unknown.push(raw);
    else out.push(id);
  }
  if (unknown.length) throw new Error(`classes: unknown COCO class name(s) ${unknown.map((u) => JSON.stringify(u)).join(', ')}`);
  return out;
}
