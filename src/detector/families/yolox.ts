import type { Candidates, FamilyBinding, ModelFamily, ModelSignature } from './family.js';
import { imageInput } from './family.js';

/**
 * YOLOX (official ONNX export, e.g. yolox_nano_416.onnx): input BGR 0-255 NCHW, letterboxed at the top
 * left with pad 114. Output [1,N,5+C] raw per grid cell of strides 8/16/32 (row-major per stride):
 * x, y offsets (+ grid position, × stride), log w, log h (exp × stride), objectness, class scores;
 * score = objectness × class score (both already sigmoid-activated in the export).
 */
export const yolox: ModelFamily = {
  name: 'yolox',
  expects: 'one NCHW image input [1,3,H,W] and one output [1,N,5+C] with N = Σ (H/s)·(W/s) over strides 8, 16, 32',
  bind(sig: ModelSignature): FamilyBinding | string {
    const input = imageInput(sig, 'nchw', 416);
    if (typeof input === 'string') return input;
    if (sig.outputs.length !== 1) return `expected 1 output, found ${sig.outputs.length}`;
    // Dynamic exports may leave the batch and cell dims symbolic; 5+C must be known.
    const shape = sig.outputs[0].shape;
    const [b0, n0, c0] = shape;
    if (shape.length !== 3 || !(b0 === 1 || typeof b0 === 'string') || typeof c0 !== 'number' || c0 < 6) return `expected output [1,N,5+C], found [${shape.join(',')}]`;
    const strides = [8, 16, 32];
    const grids = strides.map((s) => ({ s, gw: Math.floor(input.width / s), gh: Math.floor(input.height / s) }));
    const n = grids.reduce((a, g) => a + g.gw * g.gh, 0);
    if (typeof n0 === 'number' && n0 !== n) return `expected N = ${n} grid cells for a ${input.width}x${input.height} input at strides 8/16/32, found N = ${n0}`;
    const numClasses = c0 - 5;
    const outName = sig.outputs[0].name;
    return {
      family: 'yolox',
      inputName: input.name,
      inputShape: input.shape,
      numClasses,
      pre: {
        width: input.width, height: input.height, resize: 'letterbox-topleft', channelOrder: 'bgr', layout: 'nchw',
        mean: [0, 0, 0], scale: [1, 1, 1], padValue: 114,
      },
      decode(outputs, opts) {
        const { data } = outputs[outName];
        const stride = 5 + numClasses;
        const out: Candidates = { boxes: [], scores: [], classes: [] };
        let i = 0;
        for (const g of grids) {
          for (let gy = 0; gy < g.gh; gy++) {
            for (let gx = 0; gx < g.gw; gx++, i++) {
              const o = i * stride;
              const obj = data[o + 4];
              if (obj < opts.scoreThreshold) continue;
              const cx = (data[o] + gx) * g.s;
              const cy = (data[o + 1] + gy) * g.s;
              const w = Math.exp(data[o + 2]) * g.s;
              const h = Math.exp(data[o + 3]) * g.s;
              for (let k = 0; k < numClasses; k++) {
                const score = obj * data[o + 5 + k];
                if (score < opts.scoreThreshold || (opts.allowed && !opts.allowed[k])) continue;
                out.boxes.push(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
                out.scores.push(score);
                out.classes.push(k);
              }
            }
          }
        }
        return out;
      },
    };
  },
};
