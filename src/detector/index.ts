/**
 * Edge detector: ONNX models on onnxruntime-node with per-family pre/post-processing, the built-in
 * NanoDet/CenterNet models (TFJS graphs from npm converted to ONNX), and the converter itself.
 */
export { Detector } from './detector.js';
export { ThreadedDetector } from './thread/threaded-detector.js';
export type { WorkerModelInfo } from './thread/worker-protocol.js';
export { type DetectorOptions, DETECTOR_DEFAULTS } from './options.js';
export { listModels, type ModelInfo } from './list-models.js';
export { FAMILY_NAMES, type FamilyName } from './families/family.js';
export { FAMILIES, bindFamily } from './families/registry.js';
export { BUILTIN_MODELS, type BuiltinModel } from './models/catalog.js';
export { prepareModels, ensureBuiltinModel, isPrepared, type PrepareOptions, type PrepareResult } from './models/prepare.js';
export { modelsDir, MODELS_DIR_ENV } from './models/models-dir.js';
export { decodeImage } from './decode-image.js';
export { nms } from './nms.js';
