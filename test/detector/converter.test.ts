import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { readTfjsGraph } from '../../src/detector/import/tfjs-graph.js';
import { convertTfjsGraph } from '../../src/detector/import/convert.js';

/**
 * Converter op mapping on tiny hand-made TFJS graphs, checked against straightforward JS reference
 * implementations of the TF ops (NHWC). Weights are stored float16-quantised like in the real models;
 * they are multiples of 1/8 so float16 holds them exactly.
 */

/** float32 → float16 bits for values exactly representable (normal range). */
function toHalf(v: number): number {
  if (v === 0) return 0;
  const sign = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  const e = Math.floor(Math.log2(a));
  const frac = Math.round((a / 2 ** e - 1) * 1024);
  return sign | ((e + 15) << 10) | frac;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const ints = (...v: number[]) => ({ list: { i: v.map(String) } });

interface W { name: string; shape: number[]; values: number[]; dtype: 'float32' | 'int32' }

function model(nodes: object[], weights: W[], outputs: { name: string; shape: number[] }[], input: number[]) {
  const parts: Buffer[] = [];
  const manifest = weights.map((w) => {
    if (w.dtype === 'int32') {
      parts.push(Buffer.from(new Int32Array(w.values).buffer));
      return { name: w.name, shape: w.shape, dtype: 'int32' };
    }
    parts.push(Buffer.from(new Uint16Array(w.values.map(toHalf)).buffer));
    return { name: w.name, shape: w.shape, dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } };
  });
  const json = {
    format: 'graph-model',
    signature: {
      inputs: { 'x:0': { name: 'x:0', dtype: 'DT_FLOAT', tensorShape: { dim: input.map((s) => ({ size: String(s) })) } } },
      outputs: Object.fromEntries(outputs.map((o) => [o.name, { name: o.name, dtype: 'DT_FLOAT', tensorShape: { dim: o.shape.map((s) => ({ size: String(s) })) } }])),
    },
    modelTopology: {
      node: [
        { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' } } },
        ...weights.map((w) => ({ name: w.name, op: 'Const', attr: { dtype: { type: w.dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT' } } })),
        ...nodes,
      ],
    },
    weightsManifest: [{ paths: ['w.bin'], weights: manifest }],
  };
  return { json: JSON.stringify(json), bin: new Uint8Array(Buffer.concat(parts)) };
}

/** TF conv (NHWC, HWIO weights, SAME or VALID, stride s), optional depthwise ([kh,kw,C,M]). */
function refConv(x: Float32Array, [n, h, w, c]: number[], k: number[], wt: number[], stride: number, same: boolean, depthwise: boolean): { y: number[]; shape: number[] } {
  const [kh, kw, , m] = k;
  const co = depthwise ? c * m : m;
  const oh = same ? Math.ceil(h / stride) : Math.floor((h - kh) / stride) + 1;
  const ow = same ? Math.ceil(w / stride) : Math.floor((w - kw) / stride) + 1;
  const padT = same ? Math.floor(Math.max((oh - 1) * stride + kh - h, 0) / 2) : 0;
  const padL = same ? Math.floor(Math.max((ow - 1) * stride + kw - w, 0) / 2) : 0;
  const y: number[] = [];
  for (let b = 0; b < n; b++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) for (let o = 0; o < co; o++) {
    let s = 0;
    for (let di = 0; di < kh; di++) for (let dj = 0; dj < kw; dj++) {
      const yi = i * stride + di - padT;
      const xj = j * stride + dj - padL;
      if (yi < 0 || yi >= h || xj < 0 || xj >= w) continue;
      if (depthwise) {
        const ch = Math.floor(o / m);
        s += x[((b * h + yi) * w + xj) * c + ch] * wt[((di * kw + dj) * c + ch) * m + (o % m)];
      } else {
        for (let ci = 0; ci < c; ci++) s += x[((b * h + yi) * w + xj) * c + ci] * wt[((di * kw + dj) * c + ci) * m + o];
      }
    }
    y.push(s);
  }
  return { y, shape: [n, oh, ow, co] };
}

async function run(m: { json: string; bin: Uint8Array }, x: Float32Array, shape: number[]): Promise<Record<string, ort.Tensor>> {
  const graph = await readTfjsGraph(m.json, async () => m.bin);
  const { bytes } = convertTfjsGraph(graph);
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run({ x: new ort.Tensor('float32', x, shape) });
  } finally {
    await session.release();
  }
}

const eighths = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => (((i * 7 + seed) % 17) - 8) / 8);

describe('TFJS graph → ONNX op mapping', () => {
  const inShape = [1, 5, 6, 2];
  const x = Float32Array.from({ length: 60 }, (_, i) => ((i * 13) % 11) - 5);

  it('_FusedConv2D (SAME, stride 2, BiasAdd+Relu6) matches the TF reference', async () => {
    const w = eighths(3 * 3 * 2 * 3, 1);
    const bias = [0.5, -0.25, 1];
    const m = model([
      { name: 'conv', op: '_FusedConv2D', input: ['x', 'w', 'b'], attr: { strides: ints(1, 2, 2, 1), padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') }, fused_ops: { list: { s: [b64('BiasAdd'), b64('Relu6')] } }, num_args: { i: '1' } } },
    ], [{ name: 'w', shape: [3, 3, 2, 3], values: w, dtype: 'float32' }, { name: 'b', shape: [3], values: bias, dtype: 'float32' }], [{ name: 'conv:0', shape: [1, 3, 3, 3] }], inShape);
    const out = await run(m, x, inShape);
    const ref = refConv(x, inShape, [3, 3, 2, 3], w, 2, true, false);
    expect(out.conv.dims).toEqual(ref.shape);
    const expected = ref.y.map((v, i) => Math.min(6, Math.max(0, v + bias[i % 3])));
    const got = Array.from(out.conv.data as Float32Array);
    expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
  });

  it('DepthwiseConv2dNative (VALID, multiplier 2), StridedSlice with masks, ConcatV2 and ExpandDims', async () => {
    const w = eighths(2 * 2 * 2 * 2, 3);
    const m = model([
      { name: 'dw', op: 'DepthwiseConv2dNative', input: ['x', 'w'], attr: { strides: ints(1, 1, 1, 1), padding: { s: b64('VALID') }, data_format: { s: b64('NHWC') } } },
      // dw[:, 1:3, :, 1] with shrink on the last axis → [1,2,5]
      { name: 'sl', op: 'StridedSlice', input: ['dw', 'b0', 'e0', 's0'], attr: { begin_mask: { i: '5' }, end_mask: { i: '5' }, shrink_axis_mask: { i: '8' }, ellipsis_mask: { i: '0' }, new_axis_mask: { i: '0' } } },
      { name: 'ex', op: 'ExpandDims', input: ['sl', 'axis'] },
      { name: 'cat', op: 'ConcatV2', input: ['ex', 'ex', 'axis'] },
    ], [
      { name: 'w', shape: [2, 2, 2, 2], values: w, dtype: 'float32' },
      { name: 'b0', shape: [4], values: [0, 1, 0, 1], dtype: 'int32' },
      { name: 'e0', shape: [4], values: [0, 3, 0, 2], dtype: 'int32' },
      { name: 's0', shape: [4], values: [1, 1, 1, 1], dtype: 'int32' },
      { name: 'axis', shape: [], values: [-1], dtype: 'int32' },
    ], [{ name: 'dw:0', shape: [1, 4, 5, 4] }, { name: 'cat:0', shape: [1, 2, 5, 2] }], inShape);
    const out = await run(m, x, inShape);
    const ref = refConv(x, inShape, [2, 2, 2, 2], w, 1, false, true);
    expect(out.dw.dims).toEqual(ref.shape);
    const got = Array.from(out.dw.data as Float32Array);
    ref.y.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
    // cat[0][i][j][k] = dw[0][1+i][j][1] for k = 0, 1
    expect(out.cat.dims).toEqual([1, 2, 5, 2]);
    const cat = out.cat.data as Float32Array;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 5; j++) for (let k = 0; k < 2; k++) {
      expect(cat[(i * 5 + j) * 2 + k]).toBeCloseTo(ref.y[(((1 + i) * 5 + j) * 4) + 1], 4);
    }
  });

  it('rejects unsupported ops with a list of them and the supported set', async () => {
    const m = model([{ name: 'y', op: 'Erf', input: ['x'] }, { name: 'z', op: 'Cumsum', input: ['y'] }], [], [{ name: 'z:0', shape: [1, 5, 6, 2] }], inShape);
    const graph = await readTfjsGraph(m.json, async () => m.bin);
    expect(() => convertTfjsGraph(graph)).toThrow(/unsupported TF ops Erf, Cumsum .supported: Const, Placeholder, .*Conv2D/);
  });

  it('rejects short weight data and non-graph-model JSON with clear messages', async () => {
    const m = model([], [{ name: 'w', shape: [4], values: [1, 2, 3, 4], dtype: 'float32' }], [{ name: 'w:0', shape: [4] }], inShape);
    await expect(readTfjsGraph(m.json, async () => m.bin.subarray(0, 5), 'tiny.json')).rejects.toThrow(/tiny.json: weight data too short: w needs bytes 0..8, have 5/);
    await expect(readTfjsGraph('{"format":"layers-model"}', async () => m.bin, 'l.json')).rejects.toThrow(/l.json: expected a TFJS graph model .* got format "layers-model"/);
    await expect(readTfjsGraph('{nope', async () => m.bin, 'bad.json')).rejects.toThrow(/bad.json: expected JSON/);
  });
});
