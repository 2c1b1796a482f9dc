import { existsSync, readFileSync, statSync } from 'node:fs';
import { CONVERTER_VERSION } from './catalog.js';
import { modelPaths, modelsDir } from './models-dir.js';

/**
 * Cheap check whether a built-in model is prepared. Kept apart from `prepare.ts` so that the
 * postinstall no-op path loads neither the converter nor onnxruntime.
 */

/** Metadata written next to each prepared ONNX file. */
export interface PreparedMeta {
  readonly name: string;
  readonly family: string;
  readonly inputSize: number;
  readonly converterVersion: number;
  readonly source: string;
  readonly sourceSha256: Readonly<Record<string, string>>;
  readonly onnxBytes: number;
  readonly onnxSha256: string;
  readonly preparedAt: string;
}

/** True when `name` has a valid prepared ONNX file in `dir` (reads the small metadata file only). */
export function isPrepared(name: string, dir = modelsDir()): boolean {
  const p = modelPaths(dir, name);
  try {
    const meta = JSON.parse(readFileSync(p.meta, 'utf8')) as PreparedMeta;
    return meta.converterVersion === CONVERTER_VERSION && existsSync(p.onnx) && statSync(p.onnx).size === meta.onnxBytes;
  } catch {
    return false;
  }
}
