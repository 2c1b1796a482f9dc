import { ValidationError } from '../../core/index.js';
import { GraphBuilder, OnnxType, type OnnxTypeCode } from './onnx-builder.js';
import type { TfAttr, TfConst, TfNode } from './tfjs-graph.js';

/** Element kind of a converted tensor; TF int32 becomes ONNX int64 throughout. */
export type ValueKind = 'float' | 'int' | 'bool';

/** A TF tensor during conversion: a JS-side constant or an ONNX value name. */
export type Value =
  | { readonly kind: 'const'; readonly c: TfConst }
  | { readonly kind: 'dyn'; readonly name: string; readonly dtype: ValueKind };

/** Thrown for graph features the converter does not handle; names the node and op. */
export class UnsupportedOpError extends ValidationError {}

/** Normalises a TF input reference (`node`, `node:0`, `node:1`) to the key used in the value map. */
export function refKey(ref: string): string {
  return ref.endsWith(':0') ? ref.slice(0, -2) : ref;
}

/** State shared by the op converters while one graph is converted. */
export class ConvertContext {
  readonly g = new GraphBuilder();
  private readonly values = new Map<string, Value>();
  private readonly materialised = new Map<string, string>();

  /** The value of a TF tensor reference; throws if it was never produced. */
  get(ref: string, node: TfNode): Value {
    const v = this.values.get(refKey(ref));
    if (!v) throw new ValidationError(`node ${node.name} (${node.op}): input ${ref} is not produced by any node`, { node: node.name, input: ref });
    return v;
  }

  /** Records the value of a TF tensor. */
  set(ref: string, v: Value): void {
    this.values.set(refKey(ref), v);
  }

  /** The constant value of input `index` (a shape, axis, paddings, ...); throws if it is computed at run time. */
  constInput(node: TfNode, index: number, what: string): TfConst {
    const ref = dataInputs(node)[index];
    if (ref === undefined) throw new ValidationError(`node ${node.name} (${node.op}): missing input ${index} (${what})`, { node: node.name });
    const v = this.get(ref, node);
    if (v.kind !== 'const') throw new UnsupportedOpError(`node ${node.name} (${node.op}): ${what} must be a constant, got a tensor computed at run time`, { node: node.name, op: node.op });
    return v.c;
  }

  /** ONNX value name for input `index`, turning constants into initializers (once per constant). */
  input(node: TfNode, index: number): string {
    const ref = dataInputs(node)[index];
    if (ref === undefined) throw new ValidationError(`node ${node.name} (${node.op}): missing input ${index}`, { node: node.name });
    const v = this.get(ref, node);
    if (v.kind === 'dyn') return v.name;
    const key = refKey(ref);
    const done = this.materialised.get(key);
    if (done) return done;
    const name = this.constToInitializer(key, v.c);
    this.materialised.set(key, name);
    return name;
  }

  /** Element kind of input `index`. */
  kindOf(node: TfNode, index: number): ValueKind {
    const v = this.get(dataInputs(node)[index], node);
    if (v.kind === 'dyn') return v.dtype;
    return v.c.dtype === 'int32' ? 'int' : v.c.dtype === 'bool' ? 'bool' : 'float';
  }

  /** Adds an initializer holding a TF constant (int32 widened to int64). */
  constToInitializer(base: string, c: TfConst): string {
    if (c.dtype === 'int32') return this.g.addInt64(base, Array.from(c.data), c.shape);
    if (c.dtype === 'bool') return this.g.addInitializer(base, OnnxType.BOOL, c.shape, new Uint8Array(c.data));
    return this.g.addInitializer(base, OnnxType.FLOAT, c.shape, c.data as Float32Array);
  }
}

/** Data inputs of a node (control dependencies `^name` removed). */
export function dataInputs(node: TfNode): string[] {
  return (node.input ?? []).filter((i) => !i.startsWith('^'));
}

/** Attribute accessors with clear errors. */
export function attrOf(node: TfNode, key: string): TfAttr | undefined {
  return node.attr?.[key];
}

/** Decoded string attribute (TFJS stores strings base64-encoded). */
export function attrString(node: TfNode, key: string, fallback?: string): string {
  const a = attrOf(node, key);
  if (a?.s === undefined) {
    if (fallback !== undefined) return fallback;
    throw new ValidationError(`node ${node.name} (${node.op}): missing string attribute ${key}`, { node: node.name });
  }
  return Buffer.from(a.s, 'base64').toString('utf8');
}

/** Integer list attribute (strides, ksize, dilations). */
export function attrInts(node: TfNode, key: string, fallback: number[]): number[] {
  const l = attrOf(node, key)?.list?.i;
  return l && l.length > 0 ? l.map(Number) : fallback;
}

/** List of strings attribute (fused_ops). */
export function attrStrings(node: TfNode, key: string): string[] {
  return (attrOf(node, key)?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

/** Integer attribute. */
export function attrInt(node: TfNode, key: string, fallback: number): number {
  const v = attrOf(node, key)?.i;
  return v === undefined ? fallback : Number(v);
}

/** Element kind from a TF DataType name (DT_FLOAT, DT_INT32, DT_BOOL). */
export function kindFromTfType(t: string | undefined, fallback: ValueKind = 'float'): ValueKind {
  if (!t) return fallback;
  if (t === 'DT_INT32' || t === 'DT_INT64') return 'int';
  if (t === 'DT_BOOL') return 'bool';
  return 'float';
}

/** ONNX type code for a value kind. */
export function onnxTypeOf(kind: ValueKind): OnnxTypeCode {
  return kind === 'int' ? OnnxType.INT64 : kind === 'bool' ? OnnxType.BOOL : OnnxType.FLOAT;
}
