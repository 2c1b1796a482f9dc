/**
 * Pure in-memory renderer of synthetic scenes with exact ground truth: textured rectangles (random
 * value-noise or checker textures) moving, scaling and crossing over a textured gradient background.
 * Deterministic: the same scenario and options give byte-identical frames on every machine.
 */
import { type Box, type Frame, ValidationError, makeBox, makeFrame, requireInteger, requireFinite } from '../../core/index.js';
import { mulberry32, uniform, type Rng } from '../../core/prng.js';
import { type Texture, makeTexture, sampleTexture, clamp255 } from './texture.js';

/** Built-in scenarios. */
export const SCENARIOS = ['translate', 'scale', 'cross', 'multi', 'still'] as const;
/**
 * - `translate`: one object moving diagonally at constant speed (bouncing off the borders);
 * - `scale`: one object growing and shrinking around a slowly drifting centre;
 * - `cross`: two objects moving towards each other on nearly the same row; object 1 passes in front;
 * - `multi`: `objects` objects of random size moving at random constant velocities, bouncing;
 * - `still`: one object that never moves.
 */
export type Scenario = (typeof SCENARIOS)[number];

/** Options of {@link renderScene}. */
export interface SceneOptions {
  /** Frame width in pixels (integer ≥ 16). Default 320. */
  readonly width: number;
  /** Frame height in pixels (integer ≥ 16). Default 240. */
  readonly height: number;
  /** Number of frames (integer ≥ 1). Default 30. */
  readonly frames: number;
  /** Frames per second (> 0), sets `ptsMs = index × 1000 / fps`. Default 30. */
  readonly fps: number;
  /** PRNG seed (integer ≥ 0). Default 1. */
  readonly seed: number;
  /** Object count for `multi` (integer 1..200). Default 10. */
  readonly objects: number;
}

/** Defaults of {@link SceneOptions}. */
export const DEFAULT_SCENE_OPTIONS: SceneOptions = Object.freeze({
  width: 320, height: 240, frames: 30, fps: 30, seed: 1, objects: 10,
});

/** Ground truth of one object at one frame. */
export interface TruthObject {
  readonly id: number;
  /** Exact box in frame pixels (the whole object, even when occluded by another object). */
  readonly box: Box;
  readonly classId: number;
}

/** One rendered frame with its ground truth. */
export interface SceneFrame {
  readonly frame: Frame;
  readonly truth: readonly TruthObject[];
}

/** A rendered scene: metadata plus a re-iterable, lazily rendered frame sequence. */
export interface Scene {
  readonly scenario: Scenario;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly frameCount: number;
  /** Renders frames 0..frameCount-1 in order; each call starts again from frame 0 (same bytes). */
  frames(): Iterable<SceneFrame>;
}

/** One moving object: its texture, class and box as a function of the frame index. */
interface SceneObject {
  readonly id: number;
  readonly classId: number;
  readonly texture: Texture;
  boxAt(i: number): Box;
}

/** Reflects x into [lo, hi] as a ball bouncing between two walls. */
function bounce(x: number, lo: number, hi: number): number {
  const span = hi - lo;
  if (span <= 0) return lo;
  const period = 2 * span;
  const m = (((x - lo) % period) + period) % period;
  return m <= span ? lo + m : lo + period - m;
}

function validate(o: SceneOptions): SceneOptions {
  requireInteger(o.width, 'scene.width', 16);
  requireInteger(o.height, 'scene.height', 16);
  requireInteger(o.frames, 'scene.frames', 1);
  requireFinite(o.fps, 'scene.fps');
  if (o.fps <= 0) throw new ValidationError(`scene.fps: expected a number > 0, got ${o.fps}`, { field: 'scene.fps' });
  requireInteger(o.seed, 'scene.seed', 0);
  requireInteger(o.objects, 'scene.objects', 1);
  if (o.objects > 200) throw new ValidationError(`scene.objects: expected an integer in [1, 200], got ${o.objects}`, { field: 'scene.objects' });
  return o;
}

function movingObject(id: number, classId: number, texture: Texture, w: number, h: number,
  x0: number, y0: number, vx: number, vy: number, W: number, H: number): SceneObject {
  return {
    id, classId, texture,
    boxAt(i) {
      const x = bounce(x0 + vx * i, 0, W - w);
      const y = bounce(y0 + vy * i, 0, H - h);
      return makeBox(x, y, x + w, y + h);
    },
  };
}

function buildObjects(scenario: Scenario, o: SceneOptions, rng: Rng): SceneObject[] {
  const W = o.width;
  const H = o.height;
  const tex = (kind: 'noise' | 'checker', cx: number, cy: number) => makeTexture(rng, kind, cx, cy, 0.9);
  switch (scenario) {
    case 'translate': {
      const w = W * 0.2;
      const h = H * 0.35;
      return [movingObject(1, 0, tex('noise', 8, 10), w, h, W * 0.1, H * 0.15, W / 128, H / 400, W, H)];
    }
    case 'still': {
      const w = W * 0.2;
      const h = H * 0.35;
      return [movingObject(1, 0, tex('noise', 8, 10), w, h, W * 0.4, H * 0.3, 0, 0, W, H)];
    }
    case 'scale': {
      const w0 = W * 0.18;
      const h0 = H * 0.3;
      const texture = tex('checker', 8, 10);
      return [{
        id: 1, classId: 0, texture,
        boxAt(i) {
          // Scale ramps 0.8 → 1.4 over 30 frames (≈ 1.9 % per frame), then back (triangle wave).
          const s = bounce(0.8 + 0.02 * i, 0.8, 1.4);
          const cx = W * 0.45 + bounce(W * 0.0015 * i, 0, W * 0.1);
          const cy = H * 0.5;
          const w = w0 * s;
          const h = h0 * s;
          return makeBox(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
        },
      }];
    }
    case 'cross': {
      const w = W * 0.16;
      const h = H * 0.4;
      // Positions swap over the clip: they overlap most at the middle frame.
      const n = Math.max(o.frames - 1, 1);
      const xa = W * 0.1;
      const xb = W * 0.9 - w;
      const v = (xb - xa) / n;
      const ya = H * 0.28;
      const yb = H * 0.34;
      return [
        { id: 1, classId: 0, texture: tex('noise', 6, 12), boxAt: (i) => makeBox(xa + v * i, ya, xa + v * i + w, ya + h) },
        { id: 2, classId: 0, texture: tex('checker', 6, 12), boxAt: (i) => makeBox(xb - v * i, yb, xb - v * i + w, yb + h) },
      ];
    }
    case 'multi': {
      const objs: SceneObject[] = [];
      for (let k = 0; k < o.objects; k++) {
        const w = uniform(rng, W * 0.06, W * 0.14);
        const h = uniform(rng, H * 0.12, H * 0.3);
        const speed = uniform(rng, W / 400, W / 160);
        const angle = uniform(rng, 0, 2 * Math.PI);
        const kind = k % 2 === 0 ? 'noise' : 'checker';
        objs.push(movingObject(k + 1, k % 3 === 2 ? 2 : 0, tex(kind, 5, 8), w, h,
          uniform(rng, 0, W - w), uniform(rng, 0, H - h), speed * Math.cos(angle), speed * Math.sin(angle), W, H));
      }
      return objs;
    }
    default:
      throw new ValidationError(`scenario: expected one of ${SCENARIOS.join(', ')}, got ${JSON.stringify(scenario)}`, { scenario });
  }
}

/** Static background: a diagonal gradient plus two octaves of value noise (so flow has features). */
function renderBackground(W: number, H: number, rng: Rng): Uint8Array {
  const coarse = makeTexture(rng, 'noise', Math.max(2, Math.round(W / 40)), Math.max(2, Math.round(H / 40)), 0.5);
  const fine = makeTexture(rng, 'noise', Math.max(2, Math.round(W / 8)), Math.max(2, Math.round(H / 8)), 0.35);
  const out = new Uint8Array(W * H * 3);
  const a = new Float32Array(3);
  const b = new Float32Array(3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const u = (x + 0.5) / W;
      const v = (y + 0.5) / H;
      sampleTexture(coarse, u, v, a);
      sampleTexture(fine, u, v, b);
      const g = (u + v) * 30 - 30;
      const i = (y * W + x) * 3;
      for (let c = 0; c < 3; c++) out[i + c] = clamp255(0.6 * a[c] + 0.4 * b[c] + g);
    }
  }
  return out;
}

/** Paints `obj` at frame `i` into `rgb` (pixels whose centre lies inside the box). */
function paintObject(rgb: Uint8Array, W: number, H: number, obj: SceneObject, box: Box, px: Float32Array): void {
  const bw = box.x2 - box.x1;
  const bh = box.y2 - box.y1;
  if (bw <= 0 || bh <= 0) return;
  const xs = Math.max(0, Math.ceil(box.x1 - 0.5));
  const xe = Math.min(W - 1, Math.ceil(box.x2 - 0.5) - 1);
  const ys = Math.max(0, Math.ceil(box.y1 - 0.5));
  const ye = Math.min(H - 1, Math.ceil(box.y2 - 0.5) - 1);
  for (let y = ys; y <= ye; y++) {
    const v = (y + 0.5 - box.y1) / bh;
    for (let x = xs; x <= xe; x++) {
      sampleTexture(obj.texture, (x + 0.5 - box.x1) / bw, v, px);
      const i = (y * W + x) * 3;
      rgb[i] = px[0];
      rgb[i + 1] = px[1];
      rgb[i + 2] = px[2];
    }
  }
}

/**
 * Renders a synthetic scenario lazily. Objects are painted in descending id order, so the object
 * with the lowest id is in front. Ground truth lists every object (id ascending) at every frame.
 */
export function renderScene(scenario: Scenario, options: Partial<SceneOptions> = {}): Scene {
  const o = validate({ ...DEFAULT_SCENE_OPTIONS, ...options });
  if (!(SCENARIOS as readonly string[]).includes(scenario)) {
    throw new ValidationError(`scenario: expected one of ${SCENARIOS.join(', ')}, got ${JSON.stringify(scenario)}`, { scenario });
  }
  const rng = mulberry32(o.seed * 7919 + SCENARIOS.indexOf(scenario));
  const background = renderBackground(o.width, o.height, rng);
  const objects = buildObjects(scenario, o, rng);
  const { width: W, height: H, fps } = o;
  return Object.freeze({
    scenario, width: W, height: H, fps, frameCount: o.frames,
    *frames(): Generator<SceneFrame> {
      const px = new Float32Array(3);
      for (let i = 0; i < o.frames; i++) {
        const rgb = new Uint8Array(background);
        const truth = objects.map((obj) => Object.freeze({ id: obj.id, box: obj.boxAt(i), classId: obj.classId }));
        for (let k = objects.length - 1; k >= 0; k--) paintObject(rgb, W, H, objects[k], truth[k].box, px);
        yield Object.freeze({ frame: makeFrame(i, (i * 1000) / fps, W, H, rgb), truth: Object.freeze(truth) });
      }
    },
  });
}
