import { describe, expect, it } from 'vitest';
import { makeBox } from '../../src/core/index.js';
import { mulberry32 } from '../../src/core/prng.js';
import { TEMPLATE_SIDE, ncc, nccWithBox, template } from '../../src/tracker/appearance.js';

describe('appearance templates', () => {
  const rng = mulberry32(9);
  const width = 64;
  const height = 48;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rng() * 256);
  const img = { width, height, data };

  it('nccWithBox equals ncc with the allocated template, inside, across the border, outside and on flat images', () => {
    const flat = { width, height, data: new Uint8Array(width * height).fill(80) };
    const ref = template(img, makeBox(10, 10, 30, 34), 0.5);
    expect(ref).toBeInstanceOf(Float32Array);
    for (let t = 0; t < 2000; t++) {
      const x1 = rng() * 160 - 20;
      const y1 = rng() * 120 - 20;
      const box = makeBox(x1, y1, x1 + 1 + rng() * 60, y1 + 1 + rng() * 60);
      expect(nccWithBox(ref, img, box, 0.5)).toBe(ncc(ref, template(img, box, 0.5)));
      expect(nccWithBox(ref, flat, box, 0.5)).toBe(-1);
    }
    expect(nccWithBox(undefined, img, makeBox(10, 10, 30, 34), 0.5)).toBe(-1);
  });

  it('a template is zero-mean and unit-norm, and matches itself with ncc 1', () => {
    const tpl = template(img, makeBox(20, 20, 60, 60), 0.5)!;
    expect(tpl.length).toBe(TEMPLATE_SIDE * TEMPLATE_SIDE);
    const sum = tpl.reduce((a, v) => a + v, 0);
    expect(Math.abs(sum)).toBeLessThan(1e-4);
    expect(ncc(tpl, tpl)).toBeCloseTo(1, 5);
    expect(template(img, makeBox(500, 500, 600, 600), 0.5)).toBeUndefined(); // outside
  });
});
