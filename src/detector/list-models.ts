import { BUILTIN_MODELS } from './models/catalog.js';
import { modelPaths, modelsDir } from './models/models-dir.js';
import { isPrepared } from './models/prepared.js';

/** One row of {@link listModels}. */
export interface ModelInfo {
  readonly name: string;
  readonly family: string;
  readonly inputSize: number;
  readonly path: string;
  readonly prepared: boolean;
  readonly description: string;
  readonly upstream: string;
}

/** The built-in models with their cache path and whether they are prepared in `dir`. */
export function listModels(dir = modelsDir()): ModelInfo[] {
  return BUILTIN_MODELS.map((m) => ({
    name: m.name,
    family: m.family,
    inputSize: m.inputSize,
    path: modelPaths(dir, m.name).onnx,
    prepared: isPrepared(m.name, dir),
    description: m.description,
    upstream: m.upstream,
  }));
}
