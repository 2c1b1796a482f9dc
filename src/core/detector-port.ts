import type { Detection } from './detection.js';
import type { Frame } from './frame.js';

/** Timings of one detector call, in milliseconds. */
export interface DetectTimings {
  /** JPEG decode (0 when a raw frame was given). */
  readonly decodeMs: number;
  /** Resize/letterbox/normalise into the input tensor. */
  readonly preMs: number;
  /** onnxruntime `run`. */
  readonly inferenceMs: number;
  /** Decoding outputs, NMS, mapping back to frame pixels. */
  readonly postMs: number;
}

/** Result of one detector call. */
export interface DetectResult {
  /** Detections in the pixels of the image that was given (frame or decoded JPEG). */
  readonly detections: readonly Detection[];
  readonly timings: DetectTimings;
  /** Width and height of the image the boxes refer to. */
  readonly width: number;
  readonly height: number;
}

/**
 * What the edge server and the pipeline need from a detector. The ONNX implementation lives in
 * `src/detector`; anything with this shape can serve.
 */
export interface ObjectDetector {
  /** Model name as offered to clients (e.g. `nanodet`, `yolox_nano_320`). */
  readonly name: string;
  /** Runs detection on a raw frame or JPEG/PNG bytes. Rejects (never throws synchronously) on bad input. */
  detect(input: Frame | Uint8Array): Promise<DetectResult>;
  /** Releases the session. Idempotent; the detector is unusable afterwards. */
  close(): Promise<void>;
}
