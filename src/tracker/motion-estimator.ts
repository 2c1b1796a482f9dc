/**
 * Track-independent motion between two processing images: Farnebäck dense optical flow (OpenCV.js)
 * quantised into a {@link FrameMotion}, plus a texture map of the earlier frame and a global (camera)
 * motion estimate. Deterministic: the same two images give the same bytes.
 */
import { type FrameMotion, FLOW_UNITS } from './frame-motion.js';
import type { CvMat, OpenCv } from './opencv.js';
import { medianInPlace } from './stats-util.js';

/** Parameters of the dense flow. */
export interface FlowParameters {
  /** Pyramid levels above the base (Farnebäck `levels` − 1), 0..6. */
  readonly flowLevels: number;
  /** Averaging window side in processing px (odd, 3..31). */
  readonly flowWinSize: number;
  /** Iterations per pyramid level, 1..10. */
  readonly flowIterations: number;
  /** Texture (0..255) below which a cell is not used for motion estimates. */
  readonly minTexture: number;
}

/** Per-frame data computed once when a frame is buffered and shared by all its pairs. */
export interface FrameFeatures {
  readonly index: number;
  /** Processing image (owned by the caller of {@link frameFeatures}; delete it). */
  readonly gray: CvMat;
  /** Texture byte per processing px (see {@link FrameMotion.texture}). */
  readonly texture: Uint8Array;
  /** Copy of the processing image's bytes. */
  readonly pixels: Uint8Array;
}

/** Texture byte = min(255, round(TEXTURE_GAIN * sqrt(min eigenvalue))) (cornerMinEigenVal, block 3, Sobel 3). */
const TEXTURE_GAIN = 2048;

/** Computes the per-frame features of a processing image (takes no ownership of `gray`). */
export function frameFeatures(cv: OpenCv, index: number, gray: CvMat): FrameFeatures {
  const eig = new cv.Mat();
  try {
    cv.cornerMinEigenVal(gray, eig, 3, 3);
    const e = eig.data32F;
    const texture = new Uint8Array(e.length);
    for (let i = 0; i < e.length; i++) texture[i] = Math.min(255, Math.round(TEXTURE_GAIN * Math.sqrt(Math.max(0, e[i]))));
    return { index, gray, texture, pixels: new Uint8Array(gray.data) };
  } finally {
    eig.delete();
  }
}

/** Dense motion from `a` to `b` (same size); `scale` is processing px per frame px. */
export function estimateMotion(cv: OpenCv, a: FrameFeatures, b: FrameFeatures, scale: number, p: FlowParameters): FrameMotion {
  const width = a.gray.cols;
  const height = a.gray.rows;
  const f = new cv.Mat();
  try {
    cv.calcOpticalFlowFarneback(a.gray, b.gray, f, 0.5, p.flowLevels + 1, p.flowWinSize, p.flowIterations, 5, 1.1, 0);
    const d = f.data32F;
    const cells = width * height;
    const flow = new Int16Array(cells * 2);
    for (let i = 0; i < cells * 2; i++) flow[i] = Math.max(-32768, Math.min(32767, Math.round(d[i] * FLOW_UNITS)));
    const texture = new Uint8Array(cells);
    for (let i = 0; i < cells; i++) texture[i] = Math.min(a.texture[i], b.texture[i]);
    const { dx, dy, support } = globalMotion(flow, texture, width, height, p.minTexture);
    return Object.freeze({
      from: a.index, to: b.index, width, height, scale, flow, texture, gray: b.pixels, grayFrom: a.pixels,
      globalDx: dx, globalDy: dy, globalSupport: support,
    });
  } finally {
    f.delete();
  }
}

/** Median flow over the textured cells of a regular subsample (every 2nd cell in each direction). */
function globalMotion(flow: Int16Array, texture: Uint8Array, width: number, height: number, minTexture: number): { dx: number; dy: number; support: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  let total = 0;
  for (let y = 1; y < height; y += 2) {
    for (let x = 1; x < width; x += 2) {
      total++;
      const i = y * width + x;
      if (texture[i] < minTexture) continue;
      xs.push(flow[2 * i]);
      ys.push(flow[2 * i + 1]);
    }
  }
  if (xs.length === 0) return { dx: 0, dy: 0, support: 0 };
  return {
    dx: medianInPlace(Float64Array.from(xs)) / FLOW_UNITS,
    dy: medianInPlace(Float64Array.from(ys)) / FLOW_UNITS,
    support: xs.length / Math.max(1, total),
  };
}
