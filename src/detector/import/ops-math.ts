import { attr } from './onnx-builder.js';
import { type ConvertContext, type ValueKind, attrOf } from './context.js';
import type { TfNode } from './tfjs-graph.js';

/** Element-wise arithmetic, comparisons and activations. */

type Conv = (ctx: ConvertContext, node: TfNode) => void;

function resultKind(ctx: ConvertContext, node: TfNode): ValueKind {
  const a = ctx.get((node.input ?? [])[0], node);
  return a.kind === 'dyn' ? a.dtype : ctx.kindOf(node, 1);
}

function binary(op: string, outKind?: ValueKind): Conv {
  return (ctx, node) => {
    const kind = outKind ?? resultKind(ctx, node);
    const [out] = ctx.g.addNode(op, [ctx.input(node, 0), ctx.input(node, 1)], { name: node.name });
    ctx.set(node.name, { kind: 'dyn', name: out, dtype: kind });
  };
}

function unary(op: string, attrs?: (node: TfNode) => Record<string, ReturnType<typeof attr.float>>): Conv {
  return (ctx, node) => {
    const [out] = ctx.g.addNode(op, [ctx.input(node, 0)], { name: node.name, attrs: attrs?.(node) });
    ctx.set(node.name, { kind: 'dyn', name: out, dtype: ctx.kindOf(node, 0) });
  };
}

const floorDiv: Conv = (ctx, node) => {
  const kind = resultKind(ctx, node);
  let [out] = ctx.g.addNode('Div', [ctx.input(node, 0), ctx.input(node, 1)], { name: kind === 'int' ? node.name : `${node.name}/div` });
  if (kind !== 'int') [out] = ctx.g.addNode('Floor', [out], { name: node.name });
  ctx.set(node.name, { kind: 'dyn', name: out, dtype: kind });
};

const floorMod: Conv = (ctx, node) => {
  const kind = resultKind(ctx, node);
  const [out] = ctx.g.addNode('Mod', [ctx.input(node, 0), ctx.input(node, 1)], { name: node.name, attrs: { fmod: attr.int(kind === 'int' ? 0 : 1) } });
  ctx.set(node.name, { kind: 'dyn', name: out, dtype: kind });
};

const relu6: Conv = (ctx, node) => {
  const [out] = ctx.g.addNode('Clip', [ctx.input(node, 0), ctx.g.addFloat(`${node.name}/min`, [0], []), ctx.g.addFloat(`${node.name}/max`, [6], [])], { name: node.name });
  ctx.set(node.name, { kind: 'dyn', name: out, dtype: 'float' });
};

const rsqrt: Conv = (ctx, node) => {
  const [s] = ctx.g.addNode('Sqrt', [ctx.input(node, 0)], { name: `${node.name}/sqrt` });
  const [out] = ctx.g.addNode('Reciprocal', [s], { name: node.name });
  ctx.set(node.name, { kind: 'dyn', name: out, dtype: 'float' });
};

/** Converters for element-wise ops, by TF op name. */
export const MATH_OPS: Record<string, Conv> = {
  Add: binary('Add'),
  AddV2: binary('Add'),
  BiasAdd: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  RealDiv: binary('Div'),
  Div: binary('Div'),
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  Pow: binary('Pow'),
  Equal: binary('Equal', 'bool'),
  Greater: binary('Greater', 'bool'),
  Less: binary('Less', 'bool'),
  FloorDiv: floorDiv,
  FloorMod: floorMod,
  Relu: unary('Relu'),
  Relu6: relu6,
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Sqrt: unary('Sqrt'),
  Rsqrt: rsqrt,
  Neg: unary('Neg'),
  Abs: unary('Abs'),
  Floor: unary('Floor'),
  Identity: unary('Identity'),
  Softmax: unary('Softmax', () => ({ axis: attr.int(-1) })),
  LeakyRelu: unary('LeakyRelu', (n) => ({ alpha: attr.float(attrOf(n, 'alpha')?.f ?? 0.2) })),
  Elu: unary('Elu'),
};
