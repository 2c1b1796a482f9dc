import type { TradeOff } from '../controller/features-v2.js';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { CliUsageError } from './cli-error.js';

/*
 * Checks of everything a long command reads or writes, run before its first frame: a bad value is a
 * usage error (exit 2) naming the flag, the file and the problem, instead of a failure after work
 * was done. Each check does the real thing (parses the trace, the ground truth, the policy) rather
 * than guessing from the name.
 */

/** Runs `fn`; any error becomes a {@link CliUsageError} prefixed with `flag`. */
export async function asUsageError<T>(flag: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CliUsageError) throw e;
    throw new CliUsageError(`${flag}: ${(e as Error).message}`);
  }
}

/** Every policy spec must build a policy (`--policy`/`--policies`). */
export async function checkPolicies(flag: string, specs: readonly string[], tradeOff?: Partial<TradeOff>): Promise<void> {
  const { createPolicy } = await import('../controller/index.js');
  if (specs.length === 0) throw new CliUsageError(`${flag}: expected at least one policy`);
  for (const spec of specs) await asUsageError(`${flag} ${JSON.stringify(spec)}`, () => createPolicy(spec, tradeOff ? { tradeOff } : {}));
}

/**
 * Every trace (preset, file, or every file of a folder) must parse (`--trace`/`--traces`). Returns
 * the expanded list (folders replaced by their files).
 */
export async function checkTraces(flag: string, specs: readonly string[]): Promise<string[]> {
  const { expandTraces } = await import('../pipeline/experiment.js');
  const { resolveChannel } = await import('../pipeline/resolve-channel.js');
  const expanded = await asUsageError(flag, () => expandTraces(specs));
  for (const spec of expanded) await asUsageError(`${flag} ${spec}`, () => resolveChannel(spec));
  return expanded;
}

/** `--gt` must be a readable MOT file with at least one row. */
export async function checkGroundTruth(path: string | undefined): Promise<void> {
  if (path === undefined) return;
  const { loadMotGroundTruth } = await import('../eval/index.js');
  if (!existsSync(path)) throw new CliUsageError(`--gt ${path}: no such file`);
  const gt = await asUsageError(`--gt ${path}`, () => loadMotGroundTruth(path, { classId: 0 }));
  if (gt.size === 0) throw new CliUsageError(`--gt ${path}: no ground-truth rows (expected MOT lines frame,id,x,y,w,h,…)`);
}

/**
 * `--model` for a detector run here (detect, eval, a local edge): a built-in name or an existing
 * `.onnx` file. (A remote edge's models are checked against its `welcome` when the run connects.)
 */
export async function checkLocalModel(model: string): Promise<void> {
  const { BUILTIN_MODELS } = await import('../detector/index.js');
  const names = BUILTIN_MODELS.map((m) => m.name as string);
  if (names.includes(model)) return;
  if (extname(model).toLowerCase() !== '.onnx') {
    throw new CliUsageError(`--model: expected ${names.join(', ')} or a path to an .onnx file, got ${JSON.stringify(model)}`);
  }
  if (!existsSync(model) || !statSync(model).isFile()) throw new CliUsageError(`--model ${model}: no such file`);
}

/** An output folder must be creatable and writable (it is created here). */
export function checkOutDir(flag: string, dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new CliUsageError(`${flag} ${dir}: exists and is not a folder`);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new CliUsageError(`${flag} ${dir}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** An output file's folder must be creatable and writable. */
export function checkOutFile(flag: string, file: string): void {
  if (existsSync(file) && statSync(file).isDirectory()) throw new CliUsageError(`${flag} ${file}: is a folder, expected a file`);
  checkOutDir(flag, dirname(file));
}

/**
 * `--classes` and `--gt-class` checked (COCO names or ids; a bad name lists the valid ones): the class
 * ids of `--classes`, undefined when it is absent. Throws a CliUsageError.
 */
export async function checkClassFlags(classes: string | undefined, gtClass: string | undefined): Promise<number[] | undefined> {
  const { parseClassList } = await import('../core/index.js');
  try {
    const ids = classes !== undefined ? parseClassList(classes, '--classes') : undefined;
    if (gtClass !== undefined) parseClassList(gtClass, '--gt-class');
    return ids;
  } catch (e) {
    throw new CliUsageError((e as Error).message);
  }
}
