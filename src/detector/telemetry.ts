/**
 * Keeps ONNX Runtime from phoning home. onnxruntime-node ships ONNX Runtime's POSIX telemetry: a
 * process that creates a session writes `mat-debug-<pid>.log` into the temp directory, creates
 * `Microsoft/DeveloperTools/.onnxruntime/onnxruntime.db` under the user's cache directory and tries
 * to upload usage events. ONNX Runtime skips all of it when `ORT_DISABLE_TELEMETRY=1` is in the
 * process environment when its environment initialises (first session).
 *
 * Importing this module sets that variable — on the main thread, where `process.env` is the real
 * process environment that native code and worker threads see — unless the user opted in with
 * `EDGETRACK_ONNX_TELEMETRY=1` or set `ORT_DISABLE_TELEMETRY` themselves. Every module that loads
 * onnxruntime or starts a detector worker imports it first, so this holds for the CLI and for
 * edgetrack used as a library alike.
 */
/** Set to `1` to let ONNX Runtime's telemetry run (edgetrack disables it by default). */
export const ONNX_TELEMETRY_OPT_IN_ENV = 'EDGETRACK_ONNX_TELEMETRY';

/**
 * Sets `ORT_DISABLE_TELEMETRY=1` unless opted in or already set. Idempotent; called on import.
 * Returns whether telemetry is disabled for this process afterwards.
 */
export function disableOnnxRuntimeTelemetry(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[ONNX_TELEMETRY_OPT_IN_ENV] === '1') return env.ORT_DISABLE_TELEMETRY === '1';
  // in a worker thread process.env is a copy: setting it does not reach native code, but the main
  // thread (ThreadedDetector) already set the real one before starting the worker
  if (env.ORT_DISABLE_TELEMETRY === undefined) env.ORT_DISABLE_TELEMETRY = '1';
  return env.ORT_DISABLE_TELEMETRY === '1';
}

disableOnnxRuntimeTelemetry();
