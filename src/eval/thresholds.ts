/**
 * COCO IoU thresholds 0.50:0.05:0.95, bit-identical to pycocotools'
 * `np.linspace(.5, 0.95, 10, endpoint=True)` (i·step + start, last element set to the stop value), so
 * comparisons `iou ≥ t` agree with pycocotools even at the float boundaries (e.g. 0.6000000000000001).
 */
export const COCO_IOU_THRESHOLDS: readonly number[] = Object.freeze(linspace(0.5, 0.95, 10));

/** numpy.linspace(start, stop, num, endpoint=True) for num ≥ 2. */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(i * step + start);
  out[num - 1] = stop;
  return out;
}
