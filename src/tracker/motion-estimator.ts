/**
 * Track-independent motion between two processing images: Farnebäck dense optical flow (OpenCV.js)
 * quantised into a {@link FrameMotion}, plus a texture map of the earlier frame and a global (camera)
 * motion estimate. Deterministic: the same two images give the same bytes.
 */
import { type FrameMotion, FLOW_UNITS } from './frame-motion.js';
import type { CvMat, OpenCv } from './opencv.js';
import { quantiseFlow } from './flow-quantise.js';
import { textureBytes } from './texture-map.js';
import { INT16_BINS, INT16_OFFSET, takeHistogramMedian } from './int16-median.js';
import type { medianInPlace } from './stats-util.js';

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

/** Computes the per-frame features of a processing image (takes no ownership of `gray`). */
export function frameFeatures(cv: OpenCv, index: number, gray: CvMat): FrameFeatures {
  const eig = new cv.Mat();
  try {
    cv.cornerMinEigenVal(gray, eig, 3, 3);
    const e = eig.data32F;
    const texture = new Uint8Array(e.length);
    textureBytes(e, texture);
    return { index, gray, texture, pixels: gray.data.slice() };
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
    quantiseFlow(d, flow);
    const texture = new Uint8Array(cells);
    const ta = a.texture;
    const tb = b.texture;
    for (let i = 0; i < cells; i++) {
      const u = ta[i];
      const v = tb[i];
      texture[i] = u < v ? u : v;
    }
    const { dx, dy, support } = globalMotion(flow, texture, width, height, p.minTexture);
    return Object.freeze({
      from: a.index, to: b.index, width, height, scale, flow, texture, gray: b.pixels, grayFrom: a.pixels,
      globalDx: dx, globalDy: dy, globalSupport: support,
    });
  } finally {
    f.delete();
  }
}

/** Scratch histograms of {@link globalMotion} (single-threaded use). */
const xHist = new Int32Array(INT16_BINS);
const yHist = new Int32Array(INT16_BINS);

/**
 * Median flow over the textured cells of a regular subsample (every 2nd cell in each direction),
 * by counting histograms of the Int16 flow values: the same value as {@link medianInPlace} on them.
 */
function globalMotion(flow: Int16Array, texture: Uint8Array, width: number, height: number, minTexture: number): { dx: number; dy: number; support: number } {
  let n = 0;
  let total = 0;
  let minX = 32767;
  let minY = 32767;
  for (let y = 1; y < height; y += 2) {
    for (let x = 1; x < width; x += 2) {
      total++;
      const i = y * width + x;
      if (texture[i] < minTexture) continue;
      const u = flow[2 * i];
      const v = flow[2 * i + 1];
      xHist[u + INT16_OFFSET]++;
      yHist[v + INT16_OFFSET]++;
      if (u < minX) minX = u;
      if (v < minY) minY = v;
      n++;
    }
  }
  if (n === 0) return { dx: 0, dy: 0, support: 0 };
  return {
    dx: takeHistogramMedian(xHist, n, minX) / FLOW_UNITS,
    dy: takeHistogramMedian(yHist, n, minY) / FLOW_UNITS,
    support: n / Math.max(1, total),
  };
}
