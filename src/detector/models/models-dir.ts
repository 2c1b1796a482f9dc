import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Environment variable that overrides where prepared models are cached. */
export const MODELS_DIR_ENV = 'EDGETRACK_MODELS_DIR';

/** `<repo>/models`, next to package.json. */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../../models', import.meta.url));

/** The models directory: `$EDGETRACK_MODELS_DIR` if set (resolved against the cwd), else `<repo>/models`. */
export function modelsDir(): string {
  const env = process.env[MODELS_DIR_ENV];
  if (env && env.trim()) return isAbsolute(env) ? env : resolve(env);
  return DEFAULT_MODELS_DIR;
}

/** Paths of one built-in model's prepared files inside `dir`. */
export function modelPaths(dir: string, name: string): { onnx: string; meta: string } {
  return { onnx: join(dir, `${name}.onnx`), meta: join(dir, `${name}.onnx.json`) };
}

/** Where extracted source files and the npm tarball are kept: `<dir>/.cache`. */
export function sourceCacheDir(dir: string): string {
  return join(dir, '.cache');
}
