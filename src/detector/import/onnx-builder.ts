// The models built here are run by onnxruntime (model preparation, tests): telemetry off first.
import '../telemetry.js';
import { ProtoWriter } from './protobuf.js';

/**
 * Builds an ONNX `ModelProto` (IR version 8, default-domain opset 17) in memory and serialises it with
 * the hand-written {@link ProtoWriter}. Field numbers follow onnx/onnx.proto.
 */

/** ONNX `TensorProto.DataType` codes used by edgetrack. */
export const OnnxType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;
/** One of {@link OnnxType}. */
export type OnnxTypeCode = (typeof OnnxType)[keyof typeof OnnxType];

/** Typed data an ONNX tensor can hold. */
export type TensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

/** A constant tensor (initializer or tensor attribute). */
export interface OnnxTensor {
  readonly name: string;
  readonly type: OnnxTypeCode;
  readonly dims: readonly number[];
  readonly data: TensorData;
}

/** A node attribute value, tagged with its ONNX attribute type. */
export type OnnxAttr =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'tensor'; readonly value: OnnxTensor };

/** Attribute constructors. */
export const attr = {
  int: (value: number): OnnxAttr => ({ kind: 'int', value }),
  float: (value: number): OnnxAttr => ({ kind: 'float', value }),
  string: (value: string): OnnxAttr => ({ kind: 'string', value }),
  ints: (value: readonly number[]): OnnxAttr => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): OnnxAttr => ({ kind: 'floats', value }),
  tensor: (value: OnnxTensor): OnnxAttr => ({ kind: 'tensor', value }),
};

/** One graph node. */
export interface OnnxNode {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Readonly<Record<string, OnnxAttr>>;
}

/** A graph input or output: name, element type, shape (a string for a symbolic dimension). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly type: OnnxTypeCode;
  readonly shape: readonly (number | string)[];
}

const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

function tensorProto(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter();
  w.packedInts(1, t.dims);
  w.int(2, t.type);
  w.string(8, t.name);
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return w;
}

function attrProto(name: string, a: OnnxAttr): ProtoWriter {
  const w = new ProtoWriter();
  w.string(1, name);
  switch (a.kind) {
    case 'float': w.float(2, a.value); break;
    case 'int': w.int(3, a.value); break;
    case 'string': w.string(4, a.value); break;
    case 'tensor': w.message(5, tensorProto(a.value)); break;
    case 'floats': w.packedFloats(7, a.value); break;
    case 'ints': w.packedInts(8, a.value); break;
  }
  w.int(20, ATTR_TYPE[a.kind]);
  return w;
}

function nodeProto(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const [k, v] of Object.entries(n.attrs)) w.message(5, attrProto(k, v));
  return w;
}

function valueInfoProto(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().int(1, v.type).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, v.name).message(2, type);
}

/** Accumulates nodes and initializers; {@link GraphBuilder.toBytes} serialises the model. */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  readonly inputs: OnnxValueInfo[] = [];
  readonly outputs: OnnxValueInfo[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  /** Returns a name not used yet, derived from `base`. */
  uniqueName(base: string): string {
    let name = base;
    while (this.used.has(name)) name = `${base}__${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** Reserves a name given by the source graph (so generated names never collide with it). */
  reserve(name: string): void {
    this.used.add(name);
  }

  /** Adds an initializer and returns its name. */
  addInitializer(base: string, type: OnnxTypeCode, dims: readonly number[], data: TensorData): string {
    const name = this.uniqueName(base);
    this.initializers.push({ name, type, dims: [...dims], data });
    return name;
  }

  /** int64 initializer helper (shapes, axes, pads). */
  addInt64(base: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.addInitializer(base, OnnxType.INT64, dims, BigInt64Array.from(values.map((v) => BigInt(v))));
  }

  /** float32 initializer helper. */
  addFloat(base: string, values: readonly number[] | Float32Array, dims: readonly number[] = [values.length]): string {
    return this.addInitializer(base, OnnxType.FLOAT, dims, Float32Array.from(values));
  }

  /**
   * Adds a node. `outputs` may be given (names from the source graph) or generated from `name`;
   * returns the output names.
   */
  addNode(opType: string, inputs: readonly string[], options: { name?: string; outputs?: readonly string[]; attrs?: Record<string, OnnxAttr>; numOutputs?: number } = {}): string[] {
    const name = this.uniqueName(options.name ?? opType);
    const outputs = options.outputs ? [...options.outputs] : Array.from({ length: options.numOutputs ?? 1 }, (_, i) => (i === 0 ? name : this.uniqueName(`${name}:${i}`)));
    for (const o of outputs) this.used.add(o);
    this.nodes.push({ opType, name, inputs: [...inputs], outputs, attrs: options.attrs ?? {} });
    return outputs;
  }

  /** Serialises the model: IR 8, opset 17, with producer name and doc string. */
  toBytes(meta: { producer: string; doc?: string; opset?: number; metadata?: Record<string, string> }): Uint8Array {
    const graph = new ProtoWriter();
    for (const n of this.nodes) graph.message(1, nodeProto(n));
    graph.string(2, 'main');
    for (const t of this.initializers) graph.message(5, tensorProto(t));
    for (const i of this.inputs) graph.message(11, valueInfoProto(i));
    for (const o of this.outputs) graph.message(12, valueInfoProto(o));
    const model = new ProtoWriter();
    model.int(1, 8);
    model.string(2, meta.producer);
    model.string(3, '1');
    if (meta.doc) model.string(6, meta.doc);
    model.message(7, graph);
    model.message(8, new ProtoWriter().string(1, '').int(2, meta.opset ?? 17));
    for (const [k, v] of Object.entries(meta.metadata ?? {})) model.message(14, new ProtoWriter().string(1, k).string(2, v));
    return model.finish();
  }
}
