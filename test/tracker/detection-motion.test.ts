import { describe, expect, it } from 'vitest';
import { type Box, makeBox, makeDetection } from '../../src/core/index.js';
import { type FrameMotion, FLOW_UNITS, TrackerCore, resolveTrackerOptions } from '../../src/tracker/index.js';
import { averageErrors, centreOnly, observeDetection, predictBox, type PredictionErrors } from '../../src/tracker/detection-motion.js';

const box = (cx: number, cy: number, w: number, h: number): Box => makeBox(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
const centre = (b: Box) => ({ x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2 });
const still = { x: 0, y: 0 };

describe('observeDetection', () => {
  it('gives a camera-compensated velocity and a log-size rate from two detections, and scores the third', () => {
    const a = observeDetection(undefined, box(100, 50, 20, 40), 0, still, undefined, 0.7);
    expect(a.scores).toBeUndefined();
    expect(a.motion.velocity).toBeUndefined();
    // 5 frames later the centre moved 30 px, 10 of them camera motion; the width grew by e^0.5.
    const b = observeDetection(a.motion, box(130, 50, 20 * Math.exp(0.5), 40), 5, { x: 10, y: 0 }, box(120, 50, 20, 40), 0.7);
    expect(b.scores).toBeUndefined(); // nothing predicted this one yet
    expect(b.motion.velocity!.x).toBeCloseTo(4, 12);
    expect(b.motion.velocity!.y).toBeCloseTo(0, 12);
    expect(b.motion.sizeRate!.x).toBeCloseTo(0.1, 12);
    expect(b.motion.sizeRate!.y).toBeCloseTo(0, 12);
    expect(b.motion.interval).toBe(5);
    // The third: constant velocity predicts 130 + (15 − 10) + 4·5 = 155; it is at 157 (size √(w·h) = 40).
    const det = box(157, 50, 40, 40);
    const flow = box(147, 50, 40, 40);
    const c = observeDetection(b.motion, det, 10, { x: 15, y: 0 }, flow, 0.7);
    expect(c.scores!.centreConstant).toBeCloseTo(2 / 40, 12);
    expect(c.scores!.centreFlow).toBeCloseTo(10 / 40, 12);
    expect(c.scores!.sizeFlow).toBeCloseTo(0, 12);
    expect(c.scores!.sizeHold).toBeCloseTo(Math.abs(Math.log(20 * Math.exp(0.5)) - Math.log(40)), 12);
    expect(c.scores!.sizeTrend).toBeCloseTo(Math.abs(Math.log(20 * Math.exp(1)) - Math.log(40)), 12);
    expect(c.motion.errors).toEqual(c.scores); // the first scores are taken as they are
    const d = observeDetection(c.motion, box(175, 50, 40, 40), 15, { x: 15, y: 0 }, box(170, 50, 40, 40), 0.7);
    expect(d.motion.errors!.centreFlow).toBeCloseTo(0.7 * (10 / 40) + 0.3 * d.scores!.centreFlow, 12);
  });

  it('ignores a detection that is not newer than the last one', () => {
    const a = observeDetection(undefined, box(100, 50, 20, 40), 10, still, undefined, 0.7);
    const b = observeDetection(a.motion, box(200, 50, 20, 40), 8, still, box(0, 0, 1, 1), 0.7);
    expect(b.motion).toBe(a.motion);
    expect(b.scores).toBeUndefined();
  });
});

describe('predictBox', () => {
  const first = observeDetection(undefined, box(100, 50, 20, 40), 0, still, undefined, 0.7).motion;
  const m = observeDetection(first, box(120, 50, 20 * Math.exp(0.5), 40), 5, still, undefined, 0.7).motion; // 4 px/frame, ln w +0.1/frame
  const errs = (e: Partial<PredictionErrors>): PredictionErrors => ({ centreFlow: 1, centreConstant: 1, sizeFlow: 1, sizeHold: 1, sizeTrend: 1, ...e });
  const flowBox = box(125, 52, 30, 44);

  it('keeps the flow box unless a prediction beat the flow by the margin', () => {
    expect(predictBox(m, undefined, 8, still, flowBox, 0.8)).toBe(flowBox);
    expect(predictBox(m, errs({ centreConstant: 0.85, sizeTrend: 0.85 }), 8, still, flowBox, 0.8)).toBe(flowBox);
    expect(predictBox(m, errs({ centreConstant: 0.1 }), 4, still, flowBox, 0.8)).toBe(flowBox); // before the last detection
  });

  it('takes the constant-velocity centre (with the camera motion since) and keeps the flow size', () => {
    const b = predictBox(m, errs({ centreConstant: 0.75 }), 8, { x: -2, y: 1 }, flowBox, 0.8);
    expect(centre(b).x).toBeCloseTo(120 - 2 + 4 * 3, 12);
    expect(centre(b).y).toBeCloseTo(51, 12);
    expect(b.x2 - b.x1).toBeCloseTo(30, 12);
    expect(b.y2 - b.y1).toBeCloseTo(44, 12);
  });

  it('takes the size trend over at most the interval it was measured on, or holds the last size', () => {
    const near = predictBox(m, errs({ sizeTrend: 0.5, sizeHold: 0.6 }), 7, still, flowBox, 0.8);
    expect(near.x2 - near.x1).toBeCloseTo(20 * Math.exp(0.5 + 0.2), 9);
    expect(centre(near).x).toBeCloseTo(125, 12); // centre stays the flow's
    const far = predictBox(m, errs({ sizeTrend: 0.5, sizeHold: 0.6 }), 25, still, flowBox, 0.8);
    expect(far.x2 - far.x1).toBeCloseTo(20 * Math.exp(0.5 + 0.5), 9); // 20 frames ahead, 5 of trend
    const held = predictBox(m, errs({ sizeTrend: 0.7, sizeHold: 0.6 }), 25, still, flowBox, 0.8);
    expect(held.x2 - held.x1).toBeCloseTo(20 * Math.exp(0.5), 9);
    expect(held.y2 - held.y1).toBeCloseTo(40, 9);
  });

  it('a class average stands in for the centre only', () => {
    const e = centreOnly(errs({ centreConstant: 0.1, sizeHold: 0, sizeTrend: 0 }));
    const b = predictBox(m, e, 8, still, flowBox, 0.8);
    expect(centre(b).x).toBeCloseTo(132, 12);
    expect(b.x2 - b.x1).toBeCloseTo(30, 12);
  });

  it('averages errors with the given memory', () => {
    const a = errs({ centreFlow: 1 });
    const b = errs({ centreFlow: 0 });
    expect(averageErrors(undefined, b, 0.7)).toBe(b);
    expect(averageErrors(a, b, 0.7).centreFlow).toBeCloseTo(0.7, 12);
  });
});

/**
 * A 48x48 object moving 4 frame px per frame to the right over a still background, seen by a flow
 * that shows only half of its motion (what small pedestrians do to Farnebäck); processing scale 1/4.
 */
function halfFlowMotion(from: number, to: number, objectAt: (t: number) => Box): FrameMotion {
  const width = 64;
  const height = 48;
  const scale = 0.25;
  const flow = new Int16Array(width * height * 2);
  const o = objectAt(from);
  const dx = ((centre(objectAt(to)).x - centre(o).x) * scale) / 2;
  for (let y = Math.floor(o.y1 * scale); y < Math.ceil(o.y2 * scale); y++) {
    for (let x = Math.floor(o.x1 * scale); x < Math.ceil(o.x2 * scale); x++) flow[2 * (y * width + x)] = Math.round(dx * FLOW_UNITS);
  }
  const gray = new Uint8Array(width * height);
  return {
    from, to, width, height, scale, flow, texture: new Uint8Array(width * height).fill(255), gray, grayFrom: gray,
    globalDx: 0, globalDy: 0, globalSupport: 1,
  };
}

describe('TrackerCore with detection motion', () => {
  const objectAt = (t: number) => box(44 + 4 * t, 96, 48, 48);

  function run(detectionMotion: boolean): number[] {
    const core = new TrackerCore(resolveTrackerOptions({ appearanceCheck: false, detectionMotion }));
    const errors: number[] = [];
    for (let t = 0; t <= 40; t++) {
      core.step(t, t === 0 ? undefined : halfFlowMotion(t - 1, t, objectAt));
      const k = t - 5; // detections every 5 frames, 5 frames late, Katch-Up full
      if (k >= 0 && k % 5 === 0) core.correct(k, [makeDetection(objectAt(k), 0.9, 0)], { kind: 'full' }, (i, j) => halfFlowMotion(i, j, objectAt));
      const tracks = core.tracks();
      if (t >= 5) {
        expect(tracks).toHaveLength(1);
        errors[t] = Math.abs(centre(tracks[0].box).x - centre(objectAt(t)).x);
      }
    }
    return errors;
  }

  it('follows the detections\' steady motion where the flow lags, once it predicted them better', () => {
    const flowOnly = run(false);
    const adaptive = run(true);
    // The flow alone lags by half the motion since the last detection: up to 18 px at 9 frames.
    expect(Math.max(...flowOnly.slice(20))).toBeGreaterThan(15);
    // Scored from the third detection (k = 10, applied at t = 15) on: the constant velocity is exact.
    for (let t = 15; t <= 40; t++) expect(adaptive[t], `frame ${t}`).toBeLessThan(1e-6);
    // Before that, both are the flow's.
    for (let t = 5; t < 15; t++) expect(adaptive[t]).toBeCloseTo(flowOnly[t], 9);
  });
});
