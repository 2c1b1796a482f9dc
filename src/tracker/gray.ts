import { type Frame, ValidationError } from '../core/index.js';
import type { CvMat, OpenCv } from './opencv.js';

/** Size of the processing image and the factor from frame px to processing px. */
export interface ProcessingGeometry {
  readonly frameWidth: number;
  readonly frameHeight: number;
  readonly width: number;
  readonly height: number;
  /** processing px per frame px (≤ 1). */
  readonly scale: number;
}

/** Processing geometry for a frame size: scale = min(processingScale, maxSide / longer side, 1). */
export function processingGeometry(frameWidth: number, frameHeight: number, processingScale: number, maxSide: number): ProcessingGeometry {
  const scale = Math.min(processingScale, maxSide / Math.max(frameWidth, frameHeight), 1);
  const width = Math.max(1, Math.round(frameWidth * scale));
  const height = Math.max(1, Math.round(frameHeight * scale));
  return Object.freeze({ frameWidth, frameHeight, width, height, scale });
}

/**
 * Converts RGB frames to downscaled 8-bit grayscale Mats (cvtColor of the frame, then INTER_AREA resize
 * of the one-channel image: 0.97 vs 1.10 ms at 768x576 → 192x144 for resize-then-convert). Reuses its
 * scratch Mats; each returned Mat belongs to the caller (call `.delete()`).
 */
export class GrayConverter {
  readonly geometry: ProcessingGeometry;
  readonly #cv: OpenCv;
  #rgb: CvMat | undefined;
  #gray: CvMat | undefined;

  constructor(cv: OpenCv, geometry: ProcessingGeometry) {
    this.#cv = cv;
    this.geometry = geometry;
    this.#rgb = new cv.Mat(geometry.frameHeight, geometry.frameWidth, cv.CV_8UC3);
    this.#gray = geometry.scale < 1 ? new cv.Mat(geometry.frameHeight, geometry.frameWidth, cv.CV_8UC1) : undefined;
  }

  /** Returns a new grayscale Mat of the processing size. Throws when the frame size differs from the geometry. */
  convert(frame: Frame): CvMat {
    const g = this.geometry;
    if (!this.#rgb) throw new Error('GrayConverter: used after close()');
    if (frame.width !== g.frameWidth || frame.height !== g.frameHeight) {
      throw new ValidationError(
        `frame: expected ${g.frameWidth}x${g.frameHeight} like the first frame, got ${frame.width}x${frame.height} (frame ${frame.index})`,
        { field: 'frame', index: frame.index },
      );
    }
    const cv = this.#cv;
    this.#rgb.data.set(frame.rgb);
    const out = new cv.Mat();
    if (this.#gray) {
      cv.cvtColor(this.#rgb, this.#gray, cv.COLOR_RGB2GRAY);
      cv.resize(this.#gray, out, new cv.Size(g.width, g.height), 0, 0, cv.INTER_AREA);
    } else {
      cv.cvtColor(this.#rgb, out, cv.COLOR_RGB2GRAY);
    }
    return out;
  }

  /** Frees the scratch Mats. Idempotent. */
  close(): void {
    this.#rgb?.delete();
    this.#gray?.delete();
    this.#rgb = undefined;
    this.#gray = undefined;
  }
}
