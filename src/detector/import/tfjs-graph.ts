import { ValidationError } from '../../core/index.js';
import { float16ToFloat32 } from './float16.js';

/**
 * Reader for TensorFlow.js "graph-model" files (`model.json` + weight shards): parses the topology
 * and decodes the weights (float32, int32, float16-quantised and affine uint8/uint16-quantised).
 */

/** One node of a TF graph as stored in model.json. */
export interface TfNode {
  readonly name: string;
  readonly op: string;
  readonly input?: readonly string[];
  readonly attr?: Readonly<Record<string, TfAttr>>;
}

/** A TF attribute value as JSON-encoded by the TFJS converter. */
export interface TfAttr {
  readonly s?: string;
  readonly i?: string | number;
  readonly f?: number;
  readonly b?: boolean;
  readonly type?: string;
  readonly list?: { readonly s?: readonly string[]; readonly i?: readonly (string | number)[]; readonly f?: readonly number[] };
  readonly shape?: { readonly dim?: readonly { readonly size?: string | number }[] };
}

/** A decoded constant. int32 constants keep their integer values in a Float64-safe Int32Array. */
export interface TfConst {
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array | Uint8Array;
}

/** Input/output tensor spec from the model signature. */
export interface TfSignatureTensor {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
}

/** Parsed graph: nodes, constants by node name, signature. */
export interface TfGraph {
  readonly nodes: readonly TfNode[];
  readonly consts: ReadonlyMap<string, TfConst>;
  readonly inputs: readonly TfSignatureTensor[];
  readonly outputs: readonly TfSignatureTensor[];
  readonly generatedBy?: string;
}

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number; original_dtype?: string };
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, uint16: 2 };

function sigTensors(obj: unknown): TfSignatureTensor[] {
  if (!obj || typeof obj !== 'object') return [];
  return Object.values(obj as Record<string, { name: string; dtype: string; tensorShape?: { dim?: { size?: string }[] } }>).map((t) => ({
    name: t.name,
    dtype: t.dtype,
    shape: (t.tensorShape?.dim ?? []).map((d) => Number(d.size ?? -1)),
  }));
}

function decodeWeight(w: ManifestWeight, bytes: Uint8Array, offset: number, source: string): { value: TfConst; size: number } {
  const count = w.shape.reduce((a, b) => a * b, 1);
  const q = w.quantization;
  const storage = q ? q.dtype : w.dtype;
  const per = BYTES[storage];
  if (per === undefined) throw new ValidationError(`${source}: weight ${w.name}: unsupported storage dtype ${storage}`, { weight: w.name });
  const size = count * per;
  if (offset + size > bytes.length) {
    throw new ValidationError(`${source}: weight data too short: ${w.name} needs bytes ${offset}..${offset + size}, have ${bytes.length}`, { weight: w.name });
  }
  let data: Float32Array | Int32Array | Uint8Array;
  if (q && q.dtype === 'float16') {
    data = float16ToFloat32(bytes, offset, count);
  } else if (q && (q.dtype === 'uint8' || q.dtype === 'uint16')) {
    const f = new Float32Array(count);
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
    for (let i = 0; i < count; i++) f[i] = (q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(i * 2, true)) * (q.scale ?? 1) + (q.min ?? 0);
    data = w.dtype === 'int32' ? Int32Array.from(f, Math.round) : f;
  } else if (w.dtype === 'float32') {
    data = new Float32Array(bytes.slice(offset, offset + size).buffer);
  } else if (w.dtype === 'int32') {
    data = new Int32Array(bytes.slice(offset, offset + size).buffer);
  } else if (w.dtype === 'bool') {
    data = bytes.slice(offset, offset + size);
  } else {
    throw new ValidationError(`${source}: weight ${w.name}: unsupported dtype ${w.dtype}`, { weight: w.name });
  }
  const dtype = w.dtype === 'int32' ? 'int32' : w.dtype === 'bool' ? 'bool' : 'float32';
  return { value: { dtype, shape: w.shape, data }, size };
}

/**
 * Parses a graph model. `readShard(path)` returns the bytes of one weight file named in the manifest.
 * Throws a ValidationError naming `source` when the JSON is not a TFJS graph model or the weights are
 * short.
 */
export async function readTfjsGraph(modelJson: string, readShard: (path: string) => Promise<Uint8Array>, source = 'model.json'): Promise<TfGraph> {
  let json: {
    format?: string; generatedBy?: string; signature?: { inputs?: unknown; outputs?: unknown };
    modelTopology?: { node?: TfNode[] }; weightsManifest?: { paths: string[]; weights: ManifestWeight[] }[];
  };
  try {
    json = JSON.parse(modelJson);
  } catch (e) {
    throw new ValidationError(`${source}: expected JSON, got a parse error: ${(e as Error).message}`, { source });
  }
  if (json.format !== 'graph-model' || !Array.isArray(json.modelTopology?.node) || !Array.isArray(json.weightsManifest)) {
    throw new ValidationError(`${source}: expected a TFJS graph model (format "graph-model" with modelTopology.node and weightsManifest), got format ${JSON.stringify(json.format)}`, { source });
  }
  const consts = new Map<string, TfConst>();
  for (const group of json.weightsManifest) {
    const parts = await Promise.all(group.paths.map((p) => readShard(p)));
    const total = parts.reduce((a, p) => a + p.length, 0);
    const bytes = new Uint8Array(total);
    let off = 0;
    for (const p of parts) {
      bytes.set(p, off);
      off += p.length;
    }
    let offset = 0;
    for (const w of group.weights) {
      const { value, size } = decodeWeight(w, bytes, offset, source);
      consts.set(w.name, value);
      offset += size;
    }
    if (offset !== bytes.length) {
      throw new ValidationError(`${source}: weight files hold ${bytes.length} bytes but the manifest describes ${offset}`, { source });
    }
  }
  return {
    nodes: json.modelTopology.node,
    consts,
    inputs: sigTensors(json.signature?.inputs),
    outputs: sigTensors(json.signature?.outputs),
    generatedBy: json.generatedBy,
  };
}
