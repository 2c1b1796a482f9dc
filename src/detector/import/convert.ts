import { ValidationError } from '../../core/index.js';
import { type OnnxValueInfo, OnnxType } from './onnx-builder.js';
import { ConvertContext, UnsupportedOpError, dataInputs, kindFromTfType, refKey } from './context.js';
import { foldConstant } from './fold.js';
import { NN_OPS } from './ops-nn.js';
import { TENSOR_OPS } from './ops-tensor.js';
import { MATH_OPS } from './ops-math.js';
import type { TfConst, TfGraph, TfNode } from './tfjs-graph.js';

/**
 * TFJS graph → ONNX converter. Walks the nodes reachable from the signature outputs in dependency
 * order, folds constant-only sub-graphs, maps each TF op to ONNX ops (see the `*_OPS` tables) and
 * serialises an ONNX model (opset 18) with the hand-written protobuf writer.
 */

type OpConverter = (ctx: ConvertContext, node: TfNode) => void;
const foldOnly = (op: string): OpConverter => (_ctx, node) => {
  throw new UnsupportedOpError(`node ${node.name} (${op}): supported only when all its inputs are constants`, { node: node.name, op });
};
const CONVERTERS: Record<string, OpConverter> = { ...NN_OPS, ...TENSOR_OPS, ...MATH_OPS, SparseToDense: foldOnly('SparseToDense') };

/** TF ops the converter understands (besides Const and Placeholder). */
export const SUPPORTED_TF_OPS: readonly string[] = Object.keys(CONVERTERS).sort();

/** Options for {@link convertTfjsGraph}. */
export interface ConvertOptions {
  /** Written to ModelProto.producer_name. Default "edgetrack tfjs-to-onnx". */
  readonly producer?: string;
  /** Written to ModelProto.doc_string. */
  readonly doc?: string;
  /** Extra ModelProto.metadata_props. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Renames graph outputs: TF signature name (e.g. "Identity:0") → ONNX output name. */
  readonly outputNames?: Readonly<Record<string, string>>;
}

/** Result of a conversion. */
export interface ConvertResult {
  /** Serialised ONNX model. */
  readonly bytes: Uint8Array;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  /** How many TF nodes of each op were converted (Const excluded). */
  readonly opCounts: Readonly<Record<string, number>>;
  /** Number of ONNX nodes emitted. */
  readonly onnxNodes: number;
}

function topoOrder(graph: TfGraph, outputs: readonly string[]): TfNode[] {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const state = new Map<string, 1 | 2>();
  const order: TfNode[] = [];
  const stack: { node: TfNode; next: number }[] = [];
  const visit = (name: string, from: string): void => {
    if (state.get(name) === 2) return;
    const node = byName.get(name);
    if (!node) throw new ValidationError(`graph: ${from} refers to node ${name}, which does not exist`, { node: name });
    if (state.get(name) === 1) throw new ValidationError(`graph: cycle through node ${name}`, { node: name });
    state.set(name, 1);
    stack.push({ node, next: 0 });
  };
  for (const out of outputs) {
    visit(refKey(out).split(':')[0], 'signature');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const ins = (top.node.input ?? []).map((i) => i.replace(/^\^/, '').split(':')[0]);
      if (top.next < ins.length) {
        visit(ins[top.next++], top.node.name);
      } else {
        stack.pop();
        state.set(top.node.name, 2);
        order.push(top.node);
      }
    }
  }
  return order;
}

const typeCode = (dtype: string): 1 | 7 | 9 => (kindFromTfType(dtype) === 'int' ? OnnxType.INT64 : kindFromTfType(dtype) === 'bool' ? OnnxType.BOOL : OnnxType.FLOAT);
const cleanName = (n: string): string => (n.endsWith(':0') ? n.slice(0, -2) : n);

/**
 * Converts a parsed TFJS graph to ONNX. Throws an {@link UnsupportedOpError} listing every op it
 * cannot convert, or a ValidationError for a malformed graph.
 */
export function convertTfjsGraph(graph: TfGraph, options: ConvertOptions = {}): ConvertResult {
  if (graph.outputs.length === 0) throw new ValidationError('graph: the model signature lists no outputs', {});
  const order = topoOrder(graph, graph.outputs.map((o) => o.name));
  const unsupported = [...new Set(order.map((n) => n.op).filter((op) => op !== 'Const' && op !== 'Placeholder' && !CONVERTERS[op]))];
  if (unsupported.length > 0) {
    throw new UnsupportedOpError(`graph: unsupported TF ops ${unsupported.join(', ')} (supported: Const, Placeholder, ${SUPPORTED_TF_OPS.join(', ')})`, { unsupported });
  }
  const ctx = new ConvertContext();
  for (const n of graph.nodes) ctx.g.reserve(n.name);
  const opCounts: Record<string, number> = {};
  for (const node of order) {
    if (node.op === 'Const') {
      const c = graph.consts.get(node.name);
      if (!c) throw new ValidationError(`graph: constant ${node.name} has no data in the weights manifest`, { node: node.name });
      ctx.set(node.name, { kind: 'const', c });
      continue;
    }
    opCounts[node.op] = (opCounts[node.op] ?? 0) + 1;
    if (node.op === 'Placeholder') {
      const sig = graph.inputs.find((i) => cleanName(i.name) === node.name);
      const dims = sig?.shape ?? (node.attr?.shape?.shape?.dim ?? []).map((d) => Number(d.size ?? -1));
      const kind = kindFromTfType(node.attr?.dtype?.type);
      ctx.g.inputs.push({ name: node.name, type: typeCode(node.attr?.dtype?.type ?? 'DT_FLOAT'), shape: dims.map((d) => (d < 0 ? 'N' : d)) });
      ctx.set(node.name, { kind: 'dyn', name: node.name, dtype: kind });
      continue;
    }
    const ins = dataInputs(node).map((r) => ctx.get(r, node));
    if (ins.length > 0 && ins.every((v) => v.kind === 'const')) {
      const folded = foldConstant(node, ins.map((v) => (v as { c: TfConst }).c));
      if (folded) {
        ctx.set(node.name, { kind: 'const', c: folded });
        continue;
      }
    }
    CONVERTERS[node.op](ctx, node);
  }
  for (const out of graph.outputs) {
    const v = ctx.get(out.name, { name: 'signature', op: 'output' });
    const name = options.outputNames?.[out.name] ?? cleanName(out.name);
    const src = v.kind === 'dyn' ? v.name : ctx.constToInitializer(`${name}/const`, v.c);
    ctx.g.addNode('Identity', [src], { name: `${name}/output`, outputs: [name] });
    ctx.g.outputs.push({ name, type: typeCode(out.dtype), shape: out.shape.map((d) => (d < 0 ? 'N' : d)) });
  }
  const bytes = ctx.g.toBytes({
    producer: options.producer ?? 'edgetrack tfjs-to-onnx',
    doc: options.doc,
    opset: 18,
    metadata: options.metadata,
  });
  return { bytes, inputs: ctx.g.inputs, outputs: ctx.g.outputs, opCounts, onnxNodes: ctx.g.nodes.length };
}

export { UnsupportedOpError };
