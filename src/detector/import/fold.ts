import type { TfConst, TfNode } from './tfjs-graph.js';
import { attrOf } from './context.js';

/**
 * Constant folding for nodes whose inputs are all constants: these only build shapes and sizes in the
 * graphs we convert (e.g. NanoDet's SparseToDense + AddV2 chains that produce Reshape shapes, or
 * CenterNet's Mul that computes a Resize size). Returns undefined when the op is not foldable here; the
 * converter then emits it as a normal ONNX node.
 */

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function make(dtype: TfConst['dtype'], shape: readonly number[], values: ArrayLike<number>): TfConst {
  const data = dtype === 'int32' ? Int32Array.from(values) : dtype === 'bool' ? Uint8Array.from(values) : Float32Array.from(values);
  return { dtype, shape: [...shape], data };
}

function elementwise(a: TfConst, b: TfConst, f: (x: number, y: number) => number): TfConst | undefined {
  const na = a.data.length;
  const nb = b.data.length;
  if (na !== nb && na !== 1 && nb !== 1) return undefined;
  const shape = na >= nb ? a.shape : b.shape;
  const n = Math.max(na, nb);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = f(a.data[na === 1 ? 0 : i], b.data[nb === 1 ? 0 : i]);
  const dtype = a.dtype === 'int32' && b.dtype === 'int32' ? 'int32' : 'float32';
  return make(dtype, shape, dtype === 'int32' ? out.map((v) => Math.trunc(v)) : out);
}

function sparseToDense(indices: TfConst, outputShape: TfConst, values: TfConst, dflt: TfConst): TfConst {
  const shape = Array.from(outputShape.data);
  const out = new Array<number>(count(shape)).fill(dflt.data[0]);
  const rank = shape.length;
  const n = indices.shape.length === 0 ? 1 : indices.shape[0];
  const perRow = indices.shape.length === 2 ? indices.shape[1] : 1;
  for (let k = 0; k < n; k++) {
    let flat = 0;
    for (let d = 0; d < rank; d++) flat = flat * shape[d] + (perRow === 1 && rank === 1 ? indices.data[k] : indices.data[k * perRow + d]);
    out[flat] = values.data.length === 1 ? values.data[0] : values.data[k];
  }
  return make(values.dtype, shape, out);
}

/** Folds `node` given its constant inputs, or returns undefined. */
export function foldConstant(node: TfNode, inputs: readonly TfConst[]): TfConst | undefined {
  const [a, b] = inputs;
  switch (node.op) {
    case 'Identity': return a;
    case 'Add':
    case 'AddV2': return elementwise(a, b, (x, y) => x + y);
    case 'Sub': return elementwise(a, b, (x, y) => x - y);
    case 'Mul': return elementwise(a, b, (x, y) => x * y);
    case 'SparseToDense': return sparseToDense(inputs[0], inputs[1], inputs[2], inputs[3]);
    case 'Reshape': {
      const shape = Array.from(b.data);
      const known = shape.filter((d) => d >= 0).reduce((p, d) => p * d, 1);
      return { ...a, shape: shape.map((d) => (d < 0 ? a.data.length / known : d)) };
    }
    case 'Cast': {
      const to = attrOf(node, 'DstT')?.type;
      if (to === 'DT_INT32') return make('int32', a.shape, Array.from(a.data, Math.trunc));
      if (to === 'DT_FLOAT') return make('float32', a.shape, a.data);
      return undefined;
    }
    default: return undefined;
  }
}
