import { attr } from './onnx-builder.js';
import { type ConvertContext, UnsupportedOpError, attrInt, attrOf, dataInputs, kindFromTfType, onnxTypeOf } from './context.js';
import type { TfNode } from './tfjs-graph.js';

/** Shape, layout, indexing and reduction ops. Parameters that TF passes as tensors must be constants. */

type Conv = (ctx: ConvertContext, node: TfNode) => void;

const ints = (ctx: ConvertContext, node: TfNode, index: number, what: string): number[] => Array.from(ctx.constInput(node, index, what).data);
/** "To the end" for Slice (ONNX clamps; 2^62 is exact in a double and fits int64). */
const INT64_MAX = 2 ** 62;

function single(op: string, extra?: (ctx: ConvertContext, node: TfNode) => { inputs?: string[]; attrs?: Record<string, ReturnType<typeof attr.int>> }): Conv {
  return (ctx, node) => {
    const spec = extra?.(ctx, node) ?? {};
    const [out] = ctx.g.addNode(op, spec.inputs ?? [ctx.input(node, 0)], { name: node.name, attrs: spec.attrs });
    ctx.set(node.name, { kind: 'dyn', name: out, dtype: ctx.kindOf(node, 0) });
  };
}

const transpose: Conv = single('Transpose', (ctx, node) => ({ attrs: { perm: attr.ints(ints(ctx, node, 1, 'perm')) } }));

const reshape: Conv = single('Reshape', (ctx, node) => {
  const shape = ints(ctx, node, 1, 'shape');
  if (shape.includes(0)) throw new UnsupportedOpError(`node ${node.name} (Reshape): zero-sized dimension in shape [${shape}] not supported`, { node: node.name });
  return { inputs: [ctx.input(node, 0), ctx.g.addInt64(`${node.name}/shape`, shape)] };
});

const concat: Conv = (ctx, node) => {
  const inputs = dataInputs(node);
  const axis = ints(ctx, node, inputs.length - 1, 'axis')[0];
  const names = inputs.slice(0, -1).map((_, i) => ctx.input(node, i));
  const [out] = ctx.g.addNode('Concat', names, { name: node.name, attrs: { axis: attr.int(axis) } });
  ctx.set(node.name, { kind: 'dyn', name: out, dtype: ctx.kindOf(node, 0) });
};

const splitV: Conv = (ctx, node) => {
  const sizes = ints(ctx, node, 1, 'size_splits');
  if (sizes.some((s) => s < 0)) throw new UnsupportedOpError(`node ${node.name} (SplitV): inferred split size (-1) not supported, got [${sizes}]`, { node: node.name });
  const axis = ints(ctx, node, 2, 'split_dim')[0];
  const outs = ctx.g.addNode('Split', [ctx.input(node, 0), ctx.g.addInt64(`${node.name}/split`, sizes)], { name: node.name, numOutputs: sizes.length, attrs: { axis: attr.int(axis) } });
  outs.forEach((o, i) => ctx.set(i === 0 ? node.name : `${node.name}:${i}`, { kind: 'dyn', name: o, dtype: ctx.kindOf(node, 0) }));
};

const split: Conv = (ctx, node) => {
  const axis = ints(ctx, node, 0, 'split_dim')[0];
  const n = attrInt(node, 'num_split', 1);
  const outs = ctx.g.addNode('Split', [ctx.input(node, 1)], { name: node.name, numOutputs: n, attrs: { axis: attr.int(axis), num_outputs: attr.int(n) } });
  outs.forEach((o, i) => ctx.set(i === 0 ? node.name : `${node.name}:${i}`, { kind: 'dyn', name: o, dtype: ctx.kindOf(node, 1) }));
};

function pad(mode: 'constant' | 'reflect' | 'edge'): Conv {
  return (ctx, node) => {
    const p = ints(ctx, node, 1, 'paddings');
    const rank = p.length / 2;
    const pads = [...Array.from({ length: rank }, (_, i) => p[2 * i]), ...Array.from({ length: rank }, (_, i) => p[2 * i + 1])];
    const inputs = [ctx.input(node, 0), ctx.g.addInt64(`${node.name}/pads`, pads)];
    if (node.op === 'PadV2') inputs.push(ctx.input(node, 2));
    let m = mode;
    if (node.op === 'MirrorPad') {
      const s = attrOf(node, 'mode')?.s;
      const name = s ? Buffer.from(s, 'base64').toString() : 'REFLECT';
      if (name !== 'REFLECT') throw new UnsupportedOpError(`node ${node.name} (MirrorPad): mode ${name} not supported (expected REFLECT)`, { node: node.name });
      m = 'reflect';
    }
    const [out] = ctx.g.addNode('Pad', inputs, { name: node.name, attrs: { mode: attr.string(m) } });
    ctx.set(node.name, { kind: 'dyn', name: out, dtype: ctx.kindOf(node, 0) });
  };
}

const stridedSlice: Conv = (ctx, node) => {
  const begin = ints(ctx, node, 1, 'begin');
  const end = ints(ctx, node, 2, 'end');
  const strides = ints(ctx, node, 3, 'strides');
  const bm = attrInt(node, 'begin_mask', 0);
  const em = attrInt(node, 'end_mask', 0);
  const shrink = attrInt(node, 'shrink_axis_mask', 0);
  if (attrInt(node, 'ellipsis_mask', 0) !== 0 || attrInt(node, 'new_axis_mask', 0) !== 0) {
    throw new UnsupportedOpError(`node ${node.name} (StridedSlice): ellipsis_mask/new_axis_mask not supported`, { node: node.name });
  }
  const starts: number[] = [];
  const ends: number[] = [];
  const axes: number[] = [];
  const steps: number[] = [];
  const squeeze: number[] = [];
  for (let i = 0; i < begin.length; i++) {
    const step = strides[i];
    const isShrink = (shrink >> i) & 1;
    starts.push((bm >> i) & 1 && !isShrink ? (step > 0 ? 0 : -1) : begin[i]);
    if (isShrink) {
      ends.push(begin[i] === -1 ? INT64_MAX : begin[i] + 1);
      squeeze.push(i);
    } else ends.push((em >> i) & 1 ? (step > 0 ? INT64_MAX : -INT64_MAX) : end[i]);
    axes.push(i);
    steps.push(isShrink ? 1 : step);
  }
  const g = ctx.g;
  let [out] = g.addNode('Slice', [ctx.input(node, 0), g.addInt64(`${node.name}/starts`, starts), g.addInt64(`${node.name}/ends`, ends), g.addInt64(`${node.name}/axes`, axes), g.addInt64(`${node.name}/steps`, steps)], { name: node.name });
  if (squeeze.length > 0) [out] = g.addNode('Squeeze', [out, g.addInt64(`${node.name}/squeeze_axes`, squeeze)], { name: `${node.name}/squeeze` });
  ctx.set(node.name, { kind: 'dyn', name: out, dtype: ctx.kindOf(node, 0) });
};

const expandDims: Conv = single('Unsqueeze', (ctx, node) => ({ inputs: [ctx.input(node, 0), ctx.g.addInt64(`${node.name}/axes`, ints(ctx, node, 1, 'dim'))] }));

const squeeze: Conv = (ctx, node) => {
  const dims = (attrOf(node, 'squeeze_dims')?.list?.i ?? []).map(Number);
  const inputs = [ctx.input(node, 0)];
  if (dims.length > 0) inputs.push(ctx.g.addInt64(`${node.name}/axes`, dims));
  const [out] = ctx.g.addNode('Squeeze', inputs, { name: node.name });
  ctx.set(node.name, { kind: 'dyn', name: out, dtype: ctx.kindOf(node, 0) });
};

const gather: Conv = (ctx, node) => {
  if (attrInt(node, 'batch_dims', 0) !== 0) throw new UnsupportedOpError(`node ${node.name} (GatherV2): batch_dims ≠ 0 not supported`, { node: node.name });
  const axis = ints(ctx, node, 2, 'axis')[0];
  const [out] = ctx.g.addNode('Gather', [ctx.input(node, 0), ctx.input(node, 1)], { name: node.name, attrs: { axis: attr.int(axis) } });
  ctx.set(node.name, { kind: 'dyn', name: out, dtype: ctx.kindOf(node, 0) });
};

const cast: Conv = (ctx, node) => {
  const to = kindFromTfType(attrOf(node, 'DstT')?.type);
  const [out] = ctx.g.addNode('Cast', [ctx.input(node, 0)], { name: node.name, attrs: { to: attr.int(onnxTypeOf(to)) } });
  ctx.set(node.name, { kind: 'dyn', name: out, dtype: to });
};

const topK: Conv = (ctx, node) => {
  const k = ints(ctx, node, 1, 'k');
  const sorted = attrOf(node, 'sorted')?.b !== false;
  const [values, indices] = ctx.g.addNode('TopK', [ctx.input(node, 0), ctx.g.addInt64(`${node.name}/k`, k, [1])], {
    name: node.name, numOutputs: 2, attrs: { axis: attr.int(-1), largest: attr.int(1), sorted: attr.int(sorted ? 1 : 0) },
  });
  ctx.set(node.name, { kind: 'dyn', name: values, dtype: 'float' });
  ctx.set(`${node.name}:1`, { kind: 'dyn', name: indices, dtype: 'int' });
};

function reduce(op: string): Conv {
  return (ctx, node) => {
    const axes = ints(ctx, node, 1, 'reduction_indices');
    const keep = attrOf(node, 'keep_dims')?.b === true ? 1 : 0;
    const [out] = ctx.g.addNode(op, [ctx.input(node, 0), ctx.g.addInt64(`${node.name}/axes`, axes)], { name: node.name, attrs: { keepdims: attr.int(keep) } });
    ctx.set(node.name, { kind: 'dyn', name: out, dtype: ctx.kindOf(node, 0) });
  };
}

/** Converters for tensor ops, by TF op name. */
export const TENSOR_OPS: Record<string, Conv> = {
  Transpose: transpose,
  Reshape: reshape,
  ConcatV2: concat,
  SplitV: splitV,
  Split: split,
  Pad: pad('constant'),
  PadV2: pad('constant'),
  MirrorPad: pad('reflect'),
  StridedSlice: stridedSlice,
  ExpandDims: expandDims,
  Squeeze: squeeze,
  GatherV2: gather,
  Cast: cast,
  TopKV2: topK,
  Mean: reduce('ReduceMean'),
  Max: reduce('ReduceMax'),
  Sum: reduce('ReduceSum'),
};
