import { describe, expect, it } from 'vitest';
import { type Track, makeBox } from '../../../src/core/index.js';
import { type GroundTruthBox, evaluateDetections, tracksToPredictions } from '../../../src/eval/index.js';
import { mulberry32 } from '../../../src/core/prng.js';
import { DEFAULT_REWARD_WEIGHTS, RecallScorer, frameReward } from '../../../src/controller/training/reward.js';

function track(id: number, x: number, y: number, w: number, h: number, score: number, classId = 0, state: Track['state'] = 'tracked'): Track {
  return Object.freeze({ id, box: makeBox(x, y, x + w, y + h), classId, score, confidence: 1, age: 1, lastDetectedFrame: 0, state });
}

describe('RecallScorer', () => {
  it('per-frame recall terms average to the episode mAR (pycocotools semantics), over several classes', () => {
    const rng = mulberry32(7);
    const frames = 40;
    const gt = new Map<number, GroundTruthBox[]>();
    const tracks = new Map<number, Track[]>();
    for (let f = 0; f < frames; f++) {
      const g: GroundTruthBox[] = [];
      const t: Track[] = [];
      const n = Math.floor(rng() * 5);
      for (let k = 0; k < n; k++) {
        const classId = rng() < 0.7 ? 0 : 2;
        const x = rng() * 500;
        const y = rng() * 300;
        const w = 20 + rng() * 60;
        const h = 40 + rng() * 80;
        g.push({ box: makeBox(x, y, x + w, y + h), classId });
        if (rng() < 0.8) {
          const j = () => (rng() - 0.5) * 0.4 * w;
          t.push(track(k + 1, x + j(), y + j(), w + j(), h + j(), rng(), classId, rng() < 0.1 ? 'lost' : 'tracked'));
        }
      }
      if (rng() < 0.3) t.push(track(99, rng() * 500, rng() * 300, 30, 60, rng())); // a false positive
      gt.set(f, g);
      tracks.set(f, t);
    }
    const scorer = new RecallScorer(gt, frames);
    let sum = 0;
    for (let f = 0; f < frames; f++) sum += scorer.frameRecall(f, tracks.get(f)!);
    const m = evaluateDetections(gt, tracksToPredictions(tracks), { frames });
    expect(m.mar).toBeGreaterThan(0.2);
    expect(sum / frames).toBeCloseTo(m.mar, 12);
    expect(scorer.classes).toEqual([0, 2]);
  });

  it('scores 0 on frames without ground truth or without tracks, and ignores lost tracks', () => {
    const gt = new Map<number, GroundTruthBox[]>([[0, [{ box: makeBox(0, 0, 10, 10), classId: 0 }]], [1, []]]);
    const s = new RecallScorer(gt, 2);
    expect(s.frameRecall(1, [track(1, 0, 0, 10, 10, 1)])).toBe(0);
    expect(s.frameRecall(0, [])).toBe(0);
    expect(s.frameRecall(0, [track(1, 0, 0, 10, 10, 1, 0, 'lost')])).toBe(0);
    // a perfect box on the only ground-truth frame of a 2-frame episode: recall term 2 (mean over frames 1)
    expect(s.frameRecall(0, [track(1, 0, 0, 10, 10, 1)])).toBeCloseTo(2, 12);
  });
});

describe('frameReward', () => {
  it('charges bytes as an uplink rate (Mbit/s) and joules as power (W)', () => {
    // 125,000 bytes at 10 fps = 10 Mbit/s; 0.5 J at 10 fps = 5 W
    const r = frameReward(0.8, 125_000, 0.5, 10, { lambdaChannel: 0.01, lambdaEnergy: 0.02 });
    expect(r.uplinkMbit).toBeCloseTo(10, 12);
    expect(r.deviceW).toBeCloseTo(5, 12);
    expect(r.reward).toBeCloseTo(0.8 - 0.1 - 0.1, 12);
    expect(frameReward(0.5, 0, 0, 25, DEFAULT_REWARD_WEIGHTS).reward).toBe(0.5);
  });
});
