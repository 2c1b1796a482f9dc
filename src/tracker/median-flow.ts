/**
 * One Median-Flow step for many boxes at once (Kalal et al., "Forward-Backward Error", ICPR 2010):
 * sample feature points in every box (goodFeaturesToTrack on the box ROI, topped up with a grid),
 * track all points of all boxes with ONE forward and ONE backward pyramidal Lucas-Kanade call, drop
 * points with a large forward-backward error, and move each box by the median displacement and scale
 * it by the median change of pairwise point distances.
 */
import { type Box, makeBox } from '../core/index.js';
import type { CvMat, OpenCv } from './opencv.js';
import type { TrackerOptions } from './options.js';
import { medianInPlace } from './stats-util.js';

/** One box to move, in frame px, with its motion prior. */
export interface FlowInput {
  readonly box: Box;
  /** Recent velocity in frame px per frame, or undefined when unknown. */
  readonly velocity: { readonly x: number; readonly y: number } | undefined;
  /** Points (processing px, x,y interleaved) that survived the previous step; resampled when absent or too few. */
  readonly points?: Float32Array | undefined;
}

/** Result of moving one box. */
export interface FlowOutput {
  /** False when the box could not be tracked (too few points, inconsistent motion, left the image). */
  readonly ok: boolean;
  /** New box in frame px (the input box when !ok). */
  readonly box: Box;
  /** Points sampled and points that passed the status and forward-backward checks. */
  readonly sampled: number;
  readonly survivors: number;
  /** survivors / sampled, in [0, 1]. */
  readonly confidence: number;
  /** Median displacement in frame px over the step (0 when !ok). */
  readonly dx: number;
  readonly dy: number;
  /** Median scale change over the step (1 when !ok). */
  readonly scale: number;
  /** Surviving points at their new positions inside the new box (processing px), for the next step. */
  readonly points: Float32Array | undefined;
  /**
   * True when the measured motion contradicted the box's own recent motion and matched the motion of
   * an overlapping box instead (the object is hidden behind another one). Then `ok` is false and
   * `box` is the input box moved by the motion prior (coasting).
   */
  readonly occluded: boolean;
  /** Why the box failed (`ok` false and not occluded): too few points, incoherent motion, implausible scale, or the centre left the image. */
  readonly failure?: 'points' | 'spread' | 'scale' | 'left';
  /** Internal: motion contradicted the prior with no consistent subset of points (radius in processing px). */
  readonly disagree?: { readonly radius: number; readonly coast: Box; readonly px: number; readonly py: number };
}

const MAX_PAIR_POINTS = 40;

/** Reusable Median-Flow stepper bound to one OpenCV instance and one processing scale. */
export class MedianFlow {
  readonly #cv: OpenCv;
  readonly #o: TrackerOptions;
  readonly #scale: number;
  #corners: CvMat | undefined;
  #scratch = new Float64Array(1024);
  #scratch2 = new Float64Array(1024);

  /** `scale` is processing px per frame px. */
  constructor(cv: OpenCv, options: TrackerOptions, scale: number) {
    this.#cv = cv;
    this.#o = options;
    this.#scale = scale;
    this.#corners = new cv.Mat();
  }

  /**
   * Moves every input box from `prev` to `next` (grayscale processing images); `gap` is the number of
   * frames between them (scales the motion prior).
   */
  step(prev: CvMat, next: CvMat, inputs: readonly FlowInput[], gap = 1): FlowOutput[] {
    const cv = this.#cv;
    if (!this.#corners) throw new Error('MedianFlow: used after close()');
    if (inputs.length === 0) return [];
    const s = this.#scale;
    const pts: number[] = [];
    const starts: number[] = [];
    for (const inp of inputs) {
      starts.push(pts.length / 2);
      if (inp.points && inp.points.length / 2 >= this.#o.minPointsPerTrack) {
        for (let i = 0; i < inp.points.length; i++) pts.push(inp.points[i]);
      } else {
        this.#sample(prev, inp.box, pts);
      }
    }
    starts.push(pts.length / 2);
    const n = pts.length / 2;
    if (n === 0) return resolveOcclusions(inputs, inputs.map((i) => failed(i.box, 0)), s, gap);

    const p0 = new cv.Mat(n, 1, cv.CV_32FC2);
    const p1 = new cv.Mat();
    const pb = new cv.Mat();
    const st1 = new cv.Mat();
    const st2 = new cv.Mat();
    const err = new cv.Mat();
    try {
      p0.data32F.set(pts);
      const win = new cv.Size(this.#o.winSize, this.#o.winSize);
      const crit = new cv.TermCriteria(cv.TermCriteria_COUNT + cv.TermCriteria_EPS, this.#o.lkIterations, 0.01);
      cv.calcOpticalFlowPyrLK(prev, next, p0, p1, st1, err, win, this.#o.maxLevel, crit);
      cv.calcOpticalFlowPyrLK(next, prev, p1, pb, st2, err, win, this.#o.maxLevel, crit);
      const a = p0.data32F;
      const b = p1.data32F;
      const c = pb.data32F;
      const s1 = st1.data;
      const s2 = st2.data;
      const out: FlowOutput[] = [];
      for (let t = 0; t < inputs.length; t++) {
        out.push(this.#estimate(inputs[t], a, b, c, s1, s2, starts[t], starts[t + 1], gap, s, next.cols, next.rows));
      }
      return resolveOcclusions(inputs, out, s, gap);
    } finally {
      p0.delete();
      p1.delete();
      pb.delete();
      st1.delete();
      st2.delete();
      err.delete();
    }
  }

  /** Appends the sample points (processing px) of `box` (frame px) to `pts`. */
  #sample(gray: CvMat, box: Box, pts: number[]): void {
    const cv = this.#cv;
    const s = this.#scale;
    const ix = (box.x2 - box.x1) * this.#o.sampleInset;
    const iy = (box.y2 - box.y1) * this.#o.sampleInset;
    const x1 = Math.max(0, Math.floor((box.x1 + ix) * s));
    const y1 = Math.max(0, Math.floor((box.y1 + iy) * s));
    const x2 = Math.min(gray.cols, Math.ceil((box.x2 - ix) * s));
    const y2 = Math.min(gray.rows, Math.ceil((box.y2 - iy) * s));
    const w = x2 - x1;
    const h = y2 - y1;
    if (w < 4 || h < 4) return;
    const maxPts = this.#o.maxPointsPerTrack;
    const minDist = Math.max(1.5, Math.sqrt((w * h) / maxPts) / 2);
    const roi = gray.roi(new cv.Rect(x1, y1, w, h));
    const corners = this.#corners!;
    try {
      cv.goodFeaturesToTrack(roi, corners, maxPts, this.#o.featureQuality, minDist);
    } finally {
      roi.delete();
    }
    const cd = corners.data32F;
    const found = corners.rows;
    for (let i = 0; i < found; i++) pts.push(cd[2 * i] + x1, cd[2 * i + 1] + y1);
    const missing = this.#o.minPointsPerTrack - found;
    if (missing > 0) {
      const g = Math.ceil(Math.sqrt(missing));
      for (let gy = 0; gy < g; gy++) {
        for (let gx = 0; gx < g; gx++) pts.push(x1 + ((gx + 0.5) * w) / g, y1 + ((gy + 0.5) * h) / g);
      }
    }
  }

  #estimate(inp: FlowInput, a: Float32Array, b: Float32Array, c: Float32Array, s1: Uint8Array, s2: Uint8Array,
    from: number, to: number, gap: number, s: number, imgW: number, imgH: number): FlowOutput {
    const o = this.#o;
    const sampled = to - from;
    if (sampled === 0) return failed(inp.box, 0, 0, 0, 'points');
    this.#ensure(sampled);
    const fb = this.#scratch;
    // Pass 1: status and absolute forward-backward check.
    const good: number[] = [];
    for (let i = from; i < to; i++) {
      if (!s1[i] || !s2[i]) continue;
      const e = Math.hypot(a[2 * i] - c[2 * i], a[2 * i + 1] - c[2 * i + 1]);
      if (e <= o.fbMaxPx) good.push(i);
    }
    const confidence = good.length / sampled;
    if (good.length < o.minSurvivors) return failed(inp.box, sampled, good.length, confidence, 'points');
    // Pass 2: keep the better half by forward-backward error (classic Median Flow).
    for (let k = 0; k < good.length; k++) {
      const i = good[k];
      fb[k] = Math.hypot(a[2 * i] - c[2 * i], a[2 * i + 1] - c[2 * i + 1]);
    }
    const medFb = medianInPlace(fb.slice(0, good.length));
    let kept = good.filter((i) => Math.hypot(a[2 * i] - c[2 * i], a[2 * i + 1] - c[2 * i + 1]) <= medFb + 1e-6);
    if (kept.length < o.minSurvivors) kept = good;

    // Motion prior: when the median motion disagrees with the track's own recent motion but a
    // consistent subset exists (partial occlusion by another moving object), follow that subset.
    let [dx, dy] = this.#medianDisplacement(kept, a, b);
    let disagree: FlowOutput['disagree'];
    if (inp.velocity) {
      const px = inp.velocity.x * s * gap;
      const py = inp.velocity.y * s * gap;
      const radius = Math.max(2, 0.35 * Math.hypot(px, py));
      if (Math.hypot(dx - px, dy - py) > radius) {
        const consistent = good.filter((i) => Math.hypot(b[2 * i] - a[2 * i] - px, b[2 * i + 1] - a[2 * i + 1] - py) <= radius);
        if (consistent.length >= o.minSurvivors && consistent.length >= 0.15 * good.length) {
          kept = consistent;
          [dx, dy] = this.#medianDisplacement(kept, a, b);
        } else {
          const bx = inp.box;
          disagree = { radius, px, py, coast: makeBox(bx.x1 + px / s, bx.y1 + py / s, bx.x2 + px / s, bx.y2 + py / s) };
        }
      }
    }
    // Spread of the displacements around the median: large spread = no coherent motion.
    const dev = this.#scratch2;
    for (let k = 0; k < kept.length; k++) {
      const i = kept[k];
      dev[k] = Math.hypot(b[2 * i] - a[2 * i] - dx, b[2 * i + 1] - a[2 * i + 1] - dy);
    }
    if (medianInPlace(dev, kept.length) > o.maxDisplacementSpreadPx * Math.max(1, Math.sqrt(gap))) {
      return failed(inp.box, sampled, good.length, confidence, 'spread');
    }
    const scale = this.#o.estimateScale ? this.#medianScale(kept, a, b) : 1;
    if (!(scale >= 1 / o.maxScaleStep && scale <= o.maxScaleStep)) return failed(inp.box, sampled, good.length, confidence, 'scale');

    const bx = inp.box;
    const cx = (bx.x1 + bx.x2) / 2 + dx / s;
    const cy = (bx.y1 + bx.y2) / 2 + dy / s;
    const hw = ((bx.x2 - bx.x1) * scale) / 2;
    const hh = ((bx.y2 - bx.y1) * scale) / 2;
    const box = makeBox(cx - hw, cy - hh, cx + hw, cy + hh);
    // The box centre left the image: the object is gone.
    if (cx < 0 || cy < 0 || cx * s > imgW || cy * s > imgH) return failed(inp.box, sampled, good.length, confidence, 'left');
    const bx1 = box.x1 * s, by1 = box.y1 * s, bx2 = box.x2 * s, by2 = box.y2 * s;
    const inside = good.filter((i) => b[2 * i] >= bx1 && b[2 * i] <= bx2 && b[2 * i + 1] >= by1 && b[2 * i + 1] <= by2);
    const points = new Float32Array(inside.length * 2);
    inside.forEach((i, k) => {
      points[2 * k] = b[2 * i];
      points[2 * k + 1] = b[2 * i + 1];
    });
    return { ok: true, box, sampled, survivors: good.length, confidence, dx: dx / s, dy: dy / s, scale, points, occluded: false, disagree };
  }

  #medianDisplacement(idx: readonly number[], a: Float32Array, b: Float32Array): [number, number] {
    const xs = this.#scratch;
    const ys = this.#scratch2;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k];
      xs[k] = b[2 * i] - a[2 * i];
      ys[k] = b[2 * i + 1] - a[2 * i + 1];
    }
    return [medianInPlace(xs, idx.length), medianInPlace(ys, idx.length)];
  }

  #medianScale(idx: readonly number[], a: Float32Array, b: Float32Array): number {
    const m = Math.min(idx.length, MAX_PAIR_POINTS);
    const pairs = (m * (m - 1)) / 2;
    this.#ensure(pairs);
    const r = this.#scratch;
    let n = 0;
    for (let p = 0; p < m; p++) {
      const i = idx[p];
      for (let q = p + 1; q < m; q++) {
        const j = idx[q];
        const d0 = Math.hypot(a[2 * i] - a[2 * j], a[2 * i + 1] - a[2 * j + 1]);
        if (d0 < 2) continue;
        r[n++] = Math.hypot(b[2 * i] - b[2 * j], b[2 * i + 1] - b[2 * j + 1]) / d0;
      }
    }
    return n === 0 ? 1 : medianInPlace(r, n);
  }

  #ensure(n: number): void {
    if (this.#scratch.length < n) {
      this.#scratch = new Float64Array(n * 2);
      this.#scratch2 = new Float64Array(n * 2);
    }
  }

  /** Frees the scratch Mat. Idempotent. */
  close(): void {
    this.#corners?.delete();
    this.#corners = undefined;
  }
}

function failed(box: Box, sampled: number, survivors = 0, confidence = 0, failure: FlowOutput['failure'] = 'points'): FlowOutput {
  return { ok: false, box, sampled, survivors, confidence, dx: 0, dy: 0, scale: 1, points: undefined, occluded: false, failure };
}

/** Share of box `a`'s area covered by box `b`. */
function coverage(a: Box, b: Box): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  const area = (a.x2 - a.x1) * (a.y2 - a.y1);
  return iw > 0 && ih > 0 && area > 0 ? (iw * ih) / area : 0;
}

/**
 * A box whose measured motion contradicts its own recent motion, or whose flow failed (too few points,
 * incoherent motion, implausible scale), while it is covered by another box that is tracked fine has
 * most likely been hidden (fully or partly) by that object: its points measure the occluder, not
 * itself. Report it occluded and coast it on its prior instead of letting it follow the occluder
 * (which would swap identities after a crossing) or freezing it.
 */
function resolveOcclusions(inputs: readonly FlowInput[], out: FlowOutput[], s: number, gap: number): FlowOutput[] {
  return out.map((o, i) => {
    const v = inputs[i].velocity;
    if (!o.ok && o.failure !== 'left' && v) {
      const covered = out.some((p, j) => j !== i && p.ok && !p.disagree && coverage(inputs[i].box, inputs[j].box) >= 0.2);
      if (!covered) return o;
      const b = inputs[i].box;
      const coast = makeBox(b.x1 + v.x * gap, b.y1 + v.y * gap, b.x2 + v.x * gap, b.y2 + v.y * gap);
      return { ...o, occluded: true, failure: undefined, box: coast };
    }
    if (!o.ok || !o.disagree) return o;
    const { radius, coast, px, py } = o.disagree;
    const occluder = out.some((p, j) => j !== i && p.ok && !p.disagree
      && coverage(inputs[i].box, inputs[j].box) >= 0.2
      && Math.hypot(p.dx * s - px, p.dy * s - py) > radius);
    if (!occluder) return o;
    return { ...o, ok: false, occluded: true, box: coast, dx: 0, dy: 0, scale: 1, points: undefined };
  });
}
