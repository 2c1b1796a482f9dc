import type { Candidates, FamilyBinding, ModelFamily, ModelSignature } from './family.js';
import { imageInput } from './family.js';

/**
 * YOLOv8 / YOLO11 (Ultralytics ONNX export): input RGB /255 NCHW, letterboxed centred with pad 114.
 * Output [1,4+C,N]: rows cx, cy, w, h (input pixels) then C class scores (sigmoid applied), one column
 * per anchor point. No objectness.
 */
export const yolov8: ModelFamily = {
  name: 'yolov8',
  expects: 'one NCHW image input [1,3,H,W] and one output [1,4+C,N] with N > 4+C (Ultralytics YOLOv8/YOLO11 layout)',
  bind(sig: ModelSignature): FamilyBinding | string {
    const input = imageInput(sig, 'nchw', 640);
    if (typeof input === 'string') return input;
    if (sig.outputs.length !== 1) return `expected 1 output, found ${sig.outputs.length}`;
    // Dynamic exports have symbolic batch/anchor dims: only 4+C must be known; N is read at run time.
    const shape = sig.outputs[0].shape;
    const [b, rows, cols] = shape;
    const ok = shape.length === 3 && (b === 1 || typeof b === 'string') && typeof rows === 'number' && rows >= 5 && (typeof cols === 'string' || cols > rows);
    if (!ok) return `expected output [1,4+C,N] with N > 4+C, found [${shape.join(',')}]`;
    const numClasses = (rows as number) - 4;
    const outName = sig.outputs[0].name;
    return {
      family: 'yolov8',
      inputName: input.name,
      inputShape: input.shape,
      numClasses,
      pre: {
        width: input.width, height: input.height, resize: 'letterbox-center', channelOrder: 'rgb', layout: 'nchw',
        mean: [0, 0, 0], scale: [1 / 255, 1 / 255, 1 / 255], padValue: 114,
      },
      decode(outputs, opts) {
        const { data, dims } = outputs[outName];
        const n = dims[2];
        const out: Candidates = { boxes: [], scores: [], classes: [] };
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < numClasses; k++) {
            const score = data[(4 + k) * n + i];
            if (score < opts.scoreThreshold || (opts.allowed && !opts.allowed[k])) continue;
            const cx = data[i];
            const cy = data[n + i];
            const w = data[2 * n + i];
            const h = data[3 * n + i];
            out.boxes.push(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
            out.scores.push(Math.min(1, score));
            out.classes.push(k);
          }
        }
        return out;
      },
    };
  },
};
