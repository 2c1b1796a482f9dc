import { describe, expect, it } from 'vitest';
import { nanodet } from '../../src/detector/families/nanodet.js';
import { centernet } from '../../src/detector/families/centernet.js';
import { yolox } from '../../src/detector/families/yolox.js';
import { yolov8 } from '../../src/detector/families/yolov8.js';
import { bindFamily } from '../../src/detector/families/registry.js';
import type { FamilyBinding, ModelSignature, RawOutput } from '../../src/detector/families/family.js';

function bound(r: FamilyBinding | string): FamilyBinding {
  if (typeof r === 'string') throw new Error(r);
  return r;
}

/** NanoDet 64x64 input: strides 8/16/32 → 64, 16, 4 cells; 2 classes; 4·11 bins. */
const NANO_SIG: ModelSignature = {
  inputs: [{ name: 'input_1', shape: [1, 3, 64, 64] }],
  outputs: [
    { name: 'cls8', shape: [1, 64, 2] }, { name: 'cls16', shape: [1, 16, 2] }, { name: 'cls32', shape: [1, 4, 2] },
    { name: 'reg8', shape: [1, 64, 44] }, { name: 'reg16', shape: [1, 16, 44] }, { name: 'reg32', shape: [1, 4, 44] },
  ],
};

function nanoOutputs(): Record<string, RawOutput> {
  const o: Record<string, RawOutput> = {};
  for (const s of NANO_SIG.outputs) {
    const dims = s.shape as number[];
    o[s.name] = { data: new Float32Array(dims[1] * dims[2]), dims };
  }
  return o;
}

describe('NanoDet GFL decoding', () => {
  it('binds by shapes: strides from cell counts, classes, bins', () => {
    const b = bound(nanodet.bind(NANO_SIG));
    expect(b.numClasses).toBe(2);
    expect(b.pre).toMatchObject({ width: 64, height: 64, channelOrder: 'bgr', layout: 'nchw', resize: 'stretch' });
  });

  it('uses the softmax expectation over the 11 bins, not the argmax', () => {
    const b = bound(nanodet.bind(NANO_SIG));
    const o = nanoOutputs();
    // stride 16, cell 5 → row 1, col 1 → centre (1.5·16, 1.5·16) = (24, 24); class 1 score 0.9
    const cell = 5;
    o.cls16.data[cell * 2 + 1] = 0.9;
    const reg = o.reg16.data;
    // left: logits 0 at bins 1 and 2 (others −∞-like): softmax 0.5/0.5 → expectation 1.5 → 24 px (argmax would give 16)
    // top: one-hot at bin 2 → 2 → 32 px; right: one-hot bin 0 → 0 px; bottom: uniform over 11 bins → 5 → 80 px
    const side = (k: number) => cell * 44 + k * 11;
    for (let i = 0; i < 11; i++) {
      reg[side(0) + i] = i === 1 || i === 2 ? 0 : -50;
      reg[side(1) + i] = i === 2 ? 0 : -50;
      reg[side(2) + i] = i === 0 ? 0 : -50;
      reg[side(3) + i] = 0;
    }
    const c = b.decode(o, { scoreThreshold: 0.3 });
    expect(c.classes).toEqual([1]);
    expect(c.scores[0]).toBeCloseTo(0.9, 6);
    const [x1, y1, x2, y2] = c.boxes;
    expect(x1).toBeCloseTo(24 - 24, 3);
    expect(y1).toBeCloseTo(24 - 32, 3);
    expect(x2).toBeCloseTo(24 + 0, 3);
    expect(y2).toBeCloseTo(24 + 80, 3);
  });

  it('applies the score threshold and the class filter', () => {
    const b = bound(nanodet.bind(NANO_SIG));
    const o = nanoOutputs();
    o.cls8.data[0] = 0.5; // cell 0, class 0
    o.cls8.data[3] = 0.6; // cell 1, class 1
    o.cls32.data[0] = 0.2; // below threshold
    expect(b.decode(o, { scoreThreshold: 0.3 }).classes.sort()).toEqual([0, 1]);
    expect(b.decode(o, { scoreThreshold: 0.3, allowed: Uint8Array.from([0, 1]) }).classes).toEqual([1]);
    expect(b.decode(o, { scoreThreshold: 0.55 }).classes).toEqual([1]);
  });
});

describe('CenterNet, YOLOX and YOLOv8 decoding', () => {
  it('CenterNet passes decoded rows through with threshold and class filter', () => {
    const b = bound(centernet.bind({ inputs: [{ name: 'img', shape: [1, 512, 512, 3] }], outputs: [{ name: 'det', shape: [1, 3, 6] }] }));
    expect(b.pre).toMatchObject({ layout: 'nhwc', channelOrder: 'rgb', scale: [1, 1, 1] });
    const data = Float32Array.from([10, 20, 30, 60, 0.9, 0, 5, 5, 9, 9, 0.2, 0, 100, 100, 150, 120, 0.5, 2]);
    const c = b.decode({ det: { data, dims: [1, 3, 6] } }, { scoreThreshold: 0.3 });
    expect(c.boxes).toEqual([10, 20, 30, 60, 100, 100, 150, 120]);
    expect(c.classes).toEqual([0, 2]);
  });

  it('YOLOX: grid offsets, exp sizes, objectness × class score', () => {
    // 64x64 input: strides 8/16/32 → 64 + 16 + 4 = 84 cells; 2 classes → 7 values per cell
    const b = bound(yolox.bind({ inputs: [{ name: 'images', shape: [1, 3, 64, 64] }], outputs: [{ name: 'output', shape: [1, 84, 7] }] }));
    expect(b.pre).toMatchObject({ resize: 'letterbox-topleft', channelOrder: 'bgr', padValue: 114, scale: [1, 1, 1] });
    const data = new Float32Array(84 * 7);
    // cell 64 + 6 = stride 16, gy 1, gx 2: x = (0.5 + 2)·16 = 40, y = (0.25 + 1)·16 = 20, w = e^0·16 = 16, h = e^ln2·16 = 32
    data.set([0.5, 0.25, 0, Math.LN2, 0.8, 0.1, 0.75], 70 * 7);
    const c = b.decode({ output: { data, dims: [1, 84, 7] } }, { scoreThreshold: 0.3 });
    expect(c.classes).toEqual([1]);
    expect(c.scores[0]).toBeCloseTo(0.6, 6); // 0.8 × 0.75
    expect(c.boxes.map((v) => Math.round(v * 1000) / 1000)).toEqual([32, 4, 48, 36]);
  });

  it('YOLOv8: [1,4+C,N] columns, centre-size boxes', () => {
    const b = bound(yolov8.bind({ inputs: [{ name: 'images', shape: [1, 3, 640, 640] }], outputs: [{ name: 'output0', shape: [1, 6, 10] }] }));
    expect(b.pre).toMatchObject({ resize: 'letterbox-center', channelOrder: 'rgb' });
    const n = 10;
    const data = new Float32Array(6 * n);
    const put = (i: number, v: number[]) => v.forEach((x, r) => { data[r * n + i] = x; });
    put(3, [100, 50, 20, 40, 0.1, 0.7]);
    const c = b.decode({ output0: { data, dims: [1, 6, n] } }, { scoreThreshold: 0.3 });
    expect(c.boxes).toEqual([90, 30, 110, 70]);
    expect(c.classes).toEqual([1]);
  });
});

describe('family detection', () => {
  it('recognises each layout and rejects a model of no family with found-vs-expected', () => {
    expect(bindFamily(NANO_SIG, undefined, 'm').family).toBe('nanodet');
    expect(bindFamily({ inputs: [{ name: 'images', shape: [1, 3, 416, 416] }], outputs: [{ name: 'output', shape: [1, 3549, 85] }] }, undefined, 'm').family).toBe('yolox');
    expect(bindFamily({ inputs: [{ name: 'images', shape: [1, 3, 640, 640] }], outputs: [{ name: 'output0', shape: [1, 84, 8400] }] }, undefined, 'm').family).toBe('yolov8');
    expect(bindFamily({ inputs: [{ name: 'i', shape: [1, 512, 512, 3] }], outputs: [{ name: 'd', shape: [1, 100, 6] }] }, undefined, 'm').family).toBe('centernet');
    // dynamic exports: symbolic batch, image and anchor dims
    const dyn = bindFamily({ inputs: [{ name: 'images', shape: ['batch', 3, 'height', 'width'] }], outputs: [{ name: 'output0', shape: ['batch', 84, 'anchors'] }] }, undefined, 'm');
    expect([dyn.family, dyn.numClasses, dyn.pre.width]).toEqual(['yolov8', 80, 640]);
    expect(bindFamily({ inputs: [{ name: 'images', shape: ['b', 3, 416, 416] }], outputs: [{ name: 'output', shape: ['b', 'n', 85] }] }, undefined, 'm').family).toBe('yolox');
    const weird: ModelSignature = { inputs: [{ name: 'data', shape: [1, 1, 28, 28] }], outputs: [{ name: 'prob', shape: [1, 10] }] };
    let message = '';
    try {
      bindFamily(weird, undefined, 'mnist.onnx');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('mnist.onnx: the model matches no model family. Found inputs: data[1,1,28,28]; outputs: prob[1,10]');
    for (const f of ['nanodet', 'centernet', 'yolox', 'yolov8']) expect(message).toContain(`  ${f}: `);
    expect(() => bindFamily(NANO_SIG, 'yolox', 'm')).toThrow(/matches no "yolox" model family/);
  });
});
