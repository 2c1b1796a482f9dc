import { COCO_LABELS, ValidationError, describeValue, requireInRange, requireInteger } from '../core/index.js';
import { FAMILY_NAMES, type FamilyName } from './families/family.js';

/** Options of {@link Detector.create}. */
export interface DetectorOptions {
  /** `nanodet`, `centernet` (built-in, prepared on first use) or a path to an `.onnx` file. */
  readonly model: string;
  /** Model family; detected from the ONNX inputs/outputs when omitted (built-ins: from the catalog). */
  readonly family?: FamilyName;
  /** onnxruntime intra-op threads. Default 2. */
  readonly threads?: number;
  /** Minimum score of a returned detection, in [0, 1]. Default 0.35. */
  readonly scoreThreshold?: number;
  /** Classes to keep: COCO ids or names (`person`, `car`). Default: all. */
  readonly classes?: readonly (number | string)[];
  /** IoU above which NMS suppresses a lower-scored box of the same class. Default 0.5. */
  readonly nmsIou?: number;
  /** Most detections returned per image. Default 100. */
  readonly maxDetections?: number;
  /** Models directory for the built-ins. Default `$EDGETRACK_MODELS_DIR` or `<repo>/models`. */
  readonly modelsDir?: string;
  /** Progress lines while a built-in model is prepared on first use. Default: written to stderr. */
  readonly log?: (line: string) => void;
}

/** Defaults applied before validation. */
export const DETECTOR_DEFAULTS = {
  threads: 2,
  scoreThreshold: 0.35,
  nmsIou: 0.5,
  maxDetections: 100,
} as const;

/** Validated options with defaults and the class filter resolved to ids. */
export interface ResolvedDetectorOptions {
  readonly model: string;
  readonly family?: FamilyName;
  readonly threads: number;
  readonly scoreThreshold: number;
  readonly classIds?: readonly number[];
  readonly nmsIou: number;
  readonly maxDetections: number;
  readonly modelsDir?: string;
  readonly log?: (line: string) => void;
}

/** Merges defaults and checks every field once; throws ValidationError "field: expected X, got Y". */
export function resolveDetectorOptions(options: DetectorOptions): ResolvedDetectorOptions {
  if (!options || typeof options !== 'object') throw new ValidationError(`options: expected an object, got ${describeValue(options)}`, {});
  const o = { ...DETECTOR_DEFAULTS, ...options };
  if (typeof o.model !== 'string' || o.model.trim() === '') {
    throw new ValidationError(`model: expected "nanodet", "centernet" or a path to an .onnx file, got ${describeValue(o.model)}`, { field: 'model' });
  }
  if (o.family !== undefined && !FAMILY_NAMES.includes(o.family)) {
    throw new ValidationError(`family: expected one of ${FAMILY_NAMES.join(', ')}, got ${describeValue(o.family)}`, { field: 'family' });
  }
  requireInteger(o.threads, 'threads', 1);
  requireInRange(o.scoreThreshold, 'scoreThreshold', 0, 1);
  requireInRange(o.nmsIou, 'nmsIou', 0, 1);
  requireInteger(o.maxDetections, 'maxDetections', 1);
  let classIds: number[] | undefined;
  if (o.classes !== undefined) {
    if (!Array.isArray(o.classes)) throw new ValidationError(`classes: expected an array of class ids or names, got ${describeValue(o.classes)}`, { field: 'classes' });
    classIds = o.classes.map((c, i) => {
      if (typeof c === 'number' && Number.isInteger(c) && c >= 0) return c;
      if (typeof c === 'string') {
        const id = COCO_LABELS.indexOf(c.trim().toLowerCase());
        if (id >= 0) return id;
        if (/^\d+$/.test(c.trim())) return Number(c);
      }
      throw new ValidationError(`classes[${i}]: expected a COCO class name or an integer id ≥ 0, got ${describeValue(c)}`, { field: 'classes' });
    });
  }
  return { model: o.model, family: o.family, threads: o.threads, scoreThreshold: o.scoreThreshold, classIds, nmsIou: o.nmsIou, maxDetections: o.maxDetections, modelsDir: o.modelsDir, log: o.log };
}
