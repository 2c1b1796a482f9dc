import { describe, expect, it } from 'vitest';
import { nms } from '../../src/detector/nms.js';
import { fillInputTensor, inputTransform } from '../../src/detector/preprocess.js';
import type { PreprocessSpec } from '../../src/detector/families/family.js';

describe('class-aware NMS', () => {
  it('suppresses same-class overlaps above the IoU threshold only', () => {
    const c = {
      // A (0,0,10,10) 0.9 cls0; B (1,0,11,10) 0.8 cls0: IoU = 90/110 = 0.818 → suppressed
      // C (1,0,11,10) 0.7 cls1: other class → kept; D (5,0,15,10) 0.6 cls0: IoU with A = 50/150 = 0.333 → kept at 0.5
      boxes: [0, 0, 10, 10, 1, 0, 11, 10, 1, 0, 11, 10, 5, 0, 15, 10],
      scores: [0.9, 0.8, 0.7, 0.6],
      classes: [0, 0, 1, 0],
    };
    expect(nms(c, 0.5, 100)).toEqual([0, 2, 3]);
    expect(nms(c, 0.3, 100)).toEqual([0, 2]);
    expect(nms(c, 0.5, 2)).toEqual([0, 2]);
  });
});

describe('input tensor', () => {
  const base: PreprocessSpec = { width: 4, height: 4, resize: 'stretch', channelOrder: 'rgb', layout: 'nchw', mean: [0, 0, 0], scale: [1, 1, 1], padValue: 114 };

  it('same-size stretch copies pixels; BGR order, mean/scale and NHWC layout apply', () => {
    const rgb = Uint8Array.from({ length: 48 }, (_, i) => i);
    const out = new Float32Array(48);
    fillInputTensor(rgb, 4, 4, base, out);
    expect(out[0]).toBe(0); // R of pixel 0
    expect(out[16]).toBe(1); // G plane, pixel 0
    expect(out[32 + 5]).toBe(17); // B plane, pixel 5 = 5·3 + 2
    fillInputTensor(rgb, 4, 4, { ...base, channelOrder: 'bgr', layout: 'nhwc', mean: [10, 20, 30], scale: [0.5, 1, 2] }, out);
    // pixel 5: r=15 g=16 b=17 → tensor channels (b, g, r) → ((17−10)·0.5, (16−20)·1, (15−30)·2)
    expect(Array.from(out.subarray(15, 18))).toEqual([3.5, -4, -30]);
  });

  it('bilinear 2x downscale averages 2x2 blocks (half-pixel centres)', () => {
    const rgb = new Uint8Array(4 * 4 * 3);
    for (let p = 0; p < 16; p++) rgb.fill((p % 4) * 10 + Math.floor(p / 4) * 40, p * 3, p * 3 + 3);
    const out = new Float32Array(12);
    fillInputTensor(rgb, 4, 4, { ...base, width: 2, height: 2 }, out);
    // pixel (row r, col c) = 10·c + 40·r. Output (0,0) samples source (0.5, 0.5): mean of 0, 10, 40, 50 = 25
    expect(out[0]).toBeCloseTo(25, 5);
    // output (1,1) samples (2.5, 2.5): mean of rows 2-3, cols 2-3 = (100 + 110 + 140 + 150) / 4 = 125
    expect(out[3]).toBeCloseTo(125, 5);
  });

  it('letterbox: top-left (YOLOX) and centred (YOLOv8) placement with pad value', () => {
    // 8x4 image into 4x4: r = 0.5 → 4x2 content
    const tl = inputTransform({ ...base, resize: 'letterbox-topleft' }, 8, 4);
    expect(tl).toEqual({ transform: { scaleX: 0.5, scaleY: 0.5, padX: 0, padY: 0 }, rw: 4, rh: 2 });
    const ce = inputTransform({ ...base, resize: 'letterbox-center' }, 8, 4);
    expect(ce.transform).toEqual({ scaleX: 0.5, scaleY: 0.5, padX: 0, padY: 1 });
    const out = new Float32Array(48);
    fillInputTensor(new Uint8Array(8 * 4 * 3).fill(200), 8, 4, { ...base, resize: 'letterbox-center', scale: [1 / 255, 1 / 255, 1 / 255] }, out);
    expect(out[0]).toBeCloseTo(114 / 255, 6); // row 0 is padding
    expect(out[4]).toBeCloseTo(200 / 255, 6); // row 1 is image
    expect(out[12]).toBeCloseTo(114 / 255, 6); // row 3 is padding
  });
});
