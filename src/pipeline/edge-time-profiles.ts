import { ValidationError } from '../core/index.js';

/**
 * Profiled edge processing time per request (JPEG decode + pre + inference + post, ms) used by the
 * replay clock, so replay runs are deterministic. The figures are this project's measurements of
 * onnxruntime-node on a 2-core x86 CPU with 2 threads (../shared/data/README.md, docs/detector.md):
 * a modest edge box. Override per run with `--edge-ms`.
 */
export const EDGE_TIME_PROFILES_MS: Readonly<Record<string, number>> = Object.freeze({
  nanodet: 55,
  centernet: 65,
  yolox_nano_416: 24,
  yolox_nano_320: 15,
});

/** Fallback for models not in the table (an unknown ONNX file). */
export const DEFAULT_EDGE_MS = 50;

/** Profiled edge time for `model` (a name or a path to an .onnx file: its base name is looked up). */
export function edgeTimeMs(model: string, override?: number): number {
  if (override !== undefined) {
    if (!Number.isFinite(override) || override < 0) throw new ValidationError(`edge-ms: expected a number ≥ 0, got ${override}`);
    return override;
  }
  const base = model.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, '');
  return EDGE_TIME_PROFILES_MS[base] ?? DEFAULT_EDGE_MS;
}
