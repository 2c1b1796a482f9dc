/**
 * Motion predicted from a track's own detections, and the per-track choice between that prediction and
 * the optical flow's.
 *
 * The flow misses part of some objects' motion: on pedestrians seen small (TUD-Stadtmitte, PETS09) the
 * median flow in the box is about 0.6 of the true shift, because Farnebäck's window mixes the walker
 * with the background around and between the legs. Such objects often move steadily, and their
 * detections say so. Every matched detection gives its track a {@link DetectionKey}: centre, log size
 * and the camera offset (cumulative global motion) at its frame. Two keys give a camera-compensated
 * centre velocity and a log-size rate, and from them these predictions of the box at a later frame:
 *
 * - centre: `flow` (the flow-tracked box) or `constant` (last detection's centre + camera motion since
 *   + velocity × frames);
 * - size: `flow`, `hold` (the last detection's size) or `trend` (the last detection's size changed at
 *   the measured rate, over at most as many frames as the rate was measured over).
 *
 * When a detection arrives, each prediction made for its frame is scored against it (centre error over
 * the detection's size √(w·h); size error |Δ ln w| + |Δ ln h|) and exponential averages of the errors
 * are kept per track and per class (a track not yet scored uses its class's centre errors). A detection-based
 * prediction replaces the flow's only when its average error is below `margin` × the flow's, so the
 * flow stays in charge of objects whose detections do not move steadily (dancers, a car in a chicane).
 * Pure functions over immutable values.
 */
import { type Box, makeBox } from '../core/index.js';

/** A 2-D offset or rate (frame px, or ln units for sizes). */
export interface Offset {
  readonly x: number;
  readonly y: number;
}

/** What a matched detection tells about its track. */
export interface DetectionKey {
  readonly frame: number;
  /** Centre, frame px. */
  readonly cx: number;
  readonly cy: number;
  /** ln width, ln height. */
  readonly lw: number;
  readonly lh: number;
  /** Camera offset (cumulative global motion, frame px) at `frame`. */
  readonly cam: Offset;
}

/** Average errors of the predictions (see module doc). */
export interface PredictionErrors {
  readonly centreFlow: number;
  readonly centreConstant: number;
  readonly sizeFlow: number;
  readonly sizeHold: number;
  readonly sizeTrend: number;
}

/** A track's detection-based motion. */
export interface DetectionMotion {
  readonly last: DetectionKey;
  /** Camera-compensated centre velocity (frame px per frame) between the last two keys. */
  readonly velocity: Offset | undefined;
  /** ln width and ln height change per frame between the last two keys. */
  readonly sizeRate: Offset | undefined;
  /** Frames between the last two keys (0 with one key). */
  readonly interval: number;
  /** This track's average errors, once scored. */
  readonly errors: PredictionErrors | undefined;
}

/** Result of {@link observeDetection}: the new state and this detection's scores (when there were predictions to score). */
export interface Observation {
  readonly motion: DetectionMotion;
  readonly scores: PredictionErrors | undefined;
}

const TINY = 1e-9;

function keyOf(box: Box, frame: number, cam: Offset): DetectionKey {
  return {
    frame, cx: (box.x1 + box.x2) / 2, cy: (box.y1 + box.y2) / 2,
    lw: Math.log(Math.max(TINY, box.x2 - box.x1)), lh: Math.log(Math.max(TINY, box.y2 - box.y1)), cam,
  };
}

/** The centre predicted by constant camera-compensated velocity, `h` frames after the last key, with camera offset `cam`. */
function constantCentre(m: DetectionMotion, v: Offset, cam: Offset, h: number): Offset {
  return { x: m.last.cx + cam.x - m.last.cam.x + v.x * h, y: m.last.cy + cam.y - m.last.cam.y + v.y * h };
}

/** The ln size predicted by the trend, `h` frames after the last key (at most `interval` frames of trend). */
function trendSize(m: DetectionMotion, rate: Offset, h: number): Offset {
  const f = Math.min(h, m.interval);
  return { x: m.last.lw + rate.x * f, y: m.last.lh + rate.y * f };
}

/** Exponential average: `memory` of the old value, the rest of the new one; the first sample is taken as it is. */
export function averageErrors(old: PredictionErrors | undefined, sample: PredictionErrors, memory: number): PredictionErrors {
  if (!old) return sample;
  const mix = (a: number, b: number) => memory * a + (1 - memory) * b;
  return {
    centreFlow: mix(old.centreFlow, sample.centreFlow), centreConstant: mix(old.centreConstant, sample.centreConstant),
    sizeFlow: mix(old.sizeFlow, sample.sizeFlow), sizeHold: mix(old.sizeHold, sample.sizeHold), sizeTrend: mix(old.sizeTrend, sample.sizeTrend),
  };
}

/**
 * A class's averages as they stand in for a track not yet scored: the centre errors only (how well the
 * flow follows this kind of object in this scene carries over; a size trend belongs to one object's
 * path, so the size stays the flow's).
 */
export function centreOnly(e: PredictionErrors): PredictionErrors {
  return { ...e, sizeHold: Number.POSITIVE_INFINITY, sizeTrend: Number.POSITIVE_INFINITY };
}

/**
 * A detection `box` of frame `frame` (camera offset `cam`) matched to a track whose detection motion
 * was `previous` and whose flow-tracked box at `frame` was `flowBox`. Older or same-frame detections
 * than the last key change nothing.
 */
export function observeDetection(previous: DetectionMotion | undefined, box: Box, frame: number, cam: Offset, flowBox: Box | undefined, memory: number): Observation {
  const key = keyOf(box, frame, cam);
  if (!previous) return { motion: { last: key, velocity: undefined, sizeRate: undefined, interval: 0, errors: undefined }, scores: undefined };
  const prev = previous.last;
  const gap = frame - prev.frame;
  if (gap <= 0) return { motion: previous, scores: undefined };
  let scores: PredictionErrors | undefined;
  if (flowBox && previous.velocity && previous.sizeRate) {
    const size = Math.sqrt(Math.max(TINY, (box.x2 - box.x1) * (box.y2 - box.y1)));
    const c = constantCentre(previous, previous.velocity, cam, gap);
    const t = trendSize(previous, previous.sizeRate, gap);
    const sizeError = (lw: number, lh: number) => Math.abs(lw - key.lw) + Math.abs(lh - key.lh);
    scores = {
      centreFlow: Math.hypot((flowBox.x1 + flowBox.x2) / 2 - key.cx, (flowBox.y1 + flowBox.y2) / 2 - key.cy) / size,
      centreConstant: Math.hypot(c.x - key.cx, c.y - key.cy) / size,
      sizeFlow: sizeError(Math.log(Math.max(TINY, flowBox.x2 - flowBox.x1)), Math.log(Math.max(TINY, flowBox.y2 - flowBox.y1))),
      sizeHold: sizeError(prev.lw, prev.lh),
      sizeTrend: sizeError(t.x, t.y),
    };
  }
  const motion: DetectionMotion = {
    last: key,
    velocity: { x: (key.cx - prev.cx - (cam.x - prev.cam.x)) / gap, y: (key.cy - prev.cy - (cam.y - prev.cam.y)) / gap },
    sizeRate: { x: (key.lw - prev.lw) / gap, y: (key.lh - prev.lh) / gap },
    interval: gap,
    errors: scores ? averageErrors(previous.errors, scores, memory) : previous.errors,
  };
  return { motion, scores };
}

/**
 * The box to output at `frame` (camera offset `cam`) for a track whose flow-tracked box is `flowBox`:
 * its centre and its size each come from the prediction with the lowest average error in `errors`
 * when that is below `margin` × the flow's, else from the flow. `flowBox` itself when there is no
 * scored alternative or `frame` precedes the last detection.
 */
export function predictBox(m: DetectionMotion | undefined, errors: PredictionErrors | undefined, frame: number, cam: Offset, flowBox: Box, margin: number): Box {
  if (!m || !errors || !m.velocity || !m.sizeRate || frame < m.last.frame) return flowBox;
  const h = frame - m.last.frame;
  let cx = (flowBox.x1 + flowBox.x2) / 2;
  let cy = (flowBox.y1 + flowBox.y2) / 2;
  let hw = (flowBox.x2 - flowBox.x1) / 2;
  let hh = (flowBox.y2 - flowBox.y1) / 2;
  const centreChanged = errors.centreConstant < margin * errors.centreFlow;
  if (centreChanged) ({ x: cx, y: cy } = constantCentre(m, m.velocity, cam, h));
  const sizeChanged = Math.min(errors.sizeHold, errors.sizeTrend) < margin * errors.sizeFlow;
  if (sizeChanged) {
    const s = errors.sizeTrend < errors.sizeHold ? trendSize(m, m.sizeRate, h) : { x: m.last.lw, y: m.last.lh };
    hw = Math.exp(s.x) / 2;
    hh = Math.exp(s.y) / 2;
  }
  if (!centreChanged && !sizeChanged) return flowBox;
  return makeBox(cx - hw, cy - hh, cx + hw, cy + hh);
}
