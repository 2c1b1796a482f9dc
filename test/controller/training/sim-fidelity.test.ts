import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContextFeatures, createPolicy, formatDecision } from '../../../src/controller/index.js';
import { formatMotRow, makeBox, parseMot } from '../../../src/core/index.js';
import { loadEnvVideo, type LoadedEnvVideo } from '../../../src/controller/training/env-video.js';
import { OffloadEnv } from '../../../src/controller/training/offload-env.js';
import { runPipeline } from '../../../src/pipeline/index.js';
import { cacheDir } from '../../../src/pipeline/cache-dir.js';
import { loadMotionCache } from '../../../src/controller/training/motion-cache.js';
import { SAMPLE_CLIP, useTempCacheDir } from '../../pipeline/helpers.js';

const FRAMES = 40;
const TRACE = 'lte-drive';
const dirs: string[] = [];
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'edgetrack-sim-'));
  dirs.push(d);
  return d;
};
let video: LoadedEnvVideo;
let env: OffloadEnv;
useTempCacheDir(); // a cold cache: the offload and motion caches are really built here

beforeAll(async () => {
  video = await loadEnvVideo(SAMPLE_CLIP, { maxFrames: FRAMES });
  env = await OffloadEnv.create({ video: SAMPLE_CLIP, trace: TRACE, maxFrames: FRAMES, lambdaChannel: 0.02, lambdaEnergy: 0.02 }, video);
}, 120_000);
afterAll(() => {
  video?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('training simulator vs the replay pipeline', () => {
  it.each(['periodic:5,low,stride:3', 'heuristic', 'full'])('%s: same tracks, mAR, bytes, offloads and energy as `run --clock replay`', async (spec) => {
    const simTracks: string[] = [];
    const sim = env.runPolicy(createPolicy(spec), (f) => {
      for (const t of f.tracks) simTracks.push(`${f.frameIndex + 1},${t.id},${t.box.x1},${t.box.y1},${t.box.x2},${t.box.y2}`);
    });
    const real = await runPipeline({ input: SAMPLE_CLIP, policy: spec, trace: TRACE, clock: 'replay', maxFrames: FRAMES, outDir: temp() });
    expect(real.offloads).toBeGreaterThan(1);
    expect(sim.frames).toBe(real.frames);
    expect(sim.offloads).toBe(real.offloads);
    expect(sim.bytesSent).toBe(real.bytesSent);
    expect(sim.katchupFrames).toBe(real.katchupFrames);
    expect(sim.mar).toBeCloseTo(real.mar, 12);
    expect(sim.deviceEnergyJ).toBeCloseTo(real.deviceEnergyJ, 9);
    expect(simTracks.length).toBeGreaterThan(FRAMES);
    // the same boxes, row for row, as tracks.txt (MOT: 1-based frame, id, x, y, w, h)
    const realTracks = parseMot(readFileSync(real.files.tracks, 'utf8')).map((r) => `${r.frame},${r.id},${r.box.x1},${r.box.y1},${r.box.x2},${r.box.y2}`);
    const rounded = parseMot(simTracks.map((l) => {
      const [f, id, x1, y1, x2, y2] = l.split(',').map(Number);
      return formatMotRow({ frame: f, id, box: makeBox(x1, y1, x2, y2), score: 1, classOrX: -1, visibilityOrY: -1 });
    }).join('\n')).map((r) => `${r.frame},${r.id},${r.box.x1},${r.box.y1},${r.box.x2},${r.box.y2}`);
    expect(rounded).toEqual(realTracks);
  });

  it('takes tracker options: the motions are shared by options that do not change them, the track logic follows the options', async () => {
    const files = () => readdirSync(cacheDir('motions')).length;
    const before = files();
    expect(before).toBeGreaterThan(0);
    const same = await loadMotionCache(SAMPLE_CLIP, { maxFrames: FRAMES, tracker: { anchorMargin: 0.35, maxAge: 0 } });
    expect(files()).toBe(before); // no new cache entry: the track-logic options leave the motions as they are
    const defaults = await loadMotionCache(SAMPLE_CLIP, { maxFrames: FRAMES });
    expect(same.motion(3, 4)!.flow).toEqual(defaults.motion(3, 4)!.flow);
    const shortLived = await loadEnvVideo(SAMPLE_CLIP, { maxFrames: FRAMES, tracker: { maxAge: 0 } });
    try {
      const spec = { video: SAMPLE_CLIP, trace: TRACE, maxFrames: FRAMES, lambdaChannel: 0.02, lambdaEnergy: 0.02 };
      const other = await OffloadEnv.create(spec, shortLived);
      const policy = 'periodic:5,low,stride:3';
      // Tracks removed once a frame has passed since their detection: far less recall than the defaults.
      expect(other.runPolicy(createPolicy(policy)).mar).toBeLessThan(env.runPolicy(createPolicy(policy)).mar - 0.05);
    } finally {
      shortLived.close();
    }
  });

  it('step() executes actions with masks: offloads are masked while one is in flight', () => {
    let obs = env.reset();
    expect(obs.mask.every((m) => m === 1)).toBe(true);
    const r = env.step(1 + 3 * 3 + 2); // offload:full:full
    expect(r.frame.bytes).toBeGreaterThan(0);
    expect(r.mask[0]).toBe(1);
    expect([...r.mask].slice(1).every((m) => m === 0)).toBe(true);
    expect(() => env.step(99)).toThrow(/action 99/);
    let steps = 1;
    let done = false;
    while (!done) {
      const s = env.step(0);
      done = s.done;
      obs = s;
      steps++;
    }
    expect(steps).toBe(FRAMES);
    expect(() => env.step(0)).toThrow(/episode done/);
  });

  it('the context shows object sizes and what the last answer found (feature layouts v3, v5 and v6)', () => {
    const contexts: ContextFeatures[] = [];
    const answers: { frame: number; offloaded: number; detections: number }[] = [];
    env.runPolicy(createPolicy('periodic:10,low,off'), (f) => {
      contexts.push(f.row.context); // the context frame f was decided with
      for (const a of f.row.applied) if (a.status === 'ok') answers.push({ frame: f.frameIndex, offloaded: a.frameIndex, detections: a.detections });
    });
    expect(answers.length).toBeGreaterThan(1);
    // before the first answer: priors; after it, the answer's detections and the low quality's scale
    const first = answers[0];
    expect(contexts[0]).toMatchObject({ lastAnswerDetections: 0, lastAnswerScale: 0, medianObjectSide: 0, minObjectSide: 0, frameLongSide: 768 });
    const after = contexts[first.frame + 1]; // the frame after the one the answer was applied at
    expect(after.lastAnswerDetections).toBe(first.detections);
    expect(after.lastAnswerScale).toBeCloseTo(320 / 768, 12);
    expect(after.trackCount).toBeGreaterThan(0);
    expect(after.minObjectSide).toBeGreaterThan(5);
    expect(after.medianObjectSide).toBeGreaterThanOrEqual(after.minObjectSide);
    expect(after.medianObjectSide).toBeLessThan(300); // pedestrians in a 768x576 frame
    // layout 5: no track existed before the first answer; the second one's detections mostly confirm tracks (IoU ≥ matchIou 0.3 each)
    expect(contexts[0]).toMatchObject({ lastAnswerMatched: 0, lastAnswerMatchIou: 0 });
    expect(after).toMatchObject({ lastAnswerMatched: 0, lastAnswerMatchIou: 0 });
    const second = contexts[answers[1].frame + 1];
    expect(second.lastAnswerMatched).toBeGreaterThan(0);
    expect(second.lastAnswerMatched).toBeLessThanOrEqual(answers[1].detections);
    expect(second.lastAnswerMatchIou).toBeGreaterThanOrEqual(0.3);
    expect(second.lastAnswerMatchIou).toBeLessThanOrEqual(1);
    // layout 6: the highest and mean score of the answer's detections (those the edge returned for that frame at `low`)
    expect(contexts[0]).toMatchObject({ lastAnswerMaxScore: 0, lastAnswerMeanScore: 0 });
    for (const [k, a] of answers.slice(0, 2).entries()) {
      const scores = video.offloads.byQuality.low![a.offloaded]!.detections.map((d) => d.score);
      const ctx = k === 0 ? after : second;
      expect(scores.length).toBe(a.detections);
      expect(ctx.lastAnswerMaxScore).toBeCloseTo(Math.max(...scores), 12);
      expect(ctx.lastAnswerMeanScore).toBeCloseTo(scores.reduce((x, y) => x + y, 0) / scores.length, 12);
      expect(ctx.lastAnswerMeanScore).toBeLessThan(ctx.lastAnswerMaxScore);
    }
  });

  it('each step\'s reward terms recompose its reward at the episode\'s λs, with and without a reward baseline', () => {
    const { lambdaChannel, lambdaEnergy } = env.spec;
    const check = (): number => {
      env.reset();
      let costly = 0;
      for (let t = 0; t < env.frames; t++) {
        const s = env.step(t % 4 === 0 ? 1 : 0);
        expect(s.terms.length).toBe(3);
        expect(s.reward).toBeCloseTo(s.terms[0] - lambdaChannel * s.terms[1] - lambdaEnergy * s.terms[2], 12);
        if (s.terms[1] !== 0) costly++;
      }
      return costly;
    };
    expect(check()).toBeGreaterThan(0);
    env.setRewardBaseline(createPolicy('periodic:5,medium,stride:3'));
    try {
      expect(check()).toBeGreaterThan(0);
    } finally {
      env.setRewardBaseline(undefined);
    }
  });

  it('a reward baseline subtracts the reference policy\'s reward of each frame: following the reference gives 0 at every step', () => {
    const reference = 'periodic:5,medium,stride:3';
    const plain: number[] = [];
    env.runPolicy(createPolicy(reference), (f) => plain.push(f.reward));
    env.setRewardBaseline(createPolicy(reference));
    try {
      const actionOf = new Map(env.actions.map((d, i) => [formatDecision(d), i]));
      const follow = createPolicy(reference);
      follow.reset();
      env.reset(follow);
      const relative: number[] = [];
      for (let t = 0; t < env.frames; t++) relative.push(env.step(actionOf.get(formatDecision(follow.decide(env.context)))!).reward);
      expect(relative).toEqual(plain.map(() => 0));
      // another behaviour (never offload): its relative rewards are its plain rewards minus the reference's
      const rel: number[] = [];
      env.reset();
      for (let t = 0; t < env.frames; t++) rel.push(env.step(0).reward);
      env.setRewardBaseline(undefined);
      const none: number[] = [];
      env.reset();
      for (let t = 0; t < env.frames; t++) none.push(env.step(0).reward);
      expect(plain.some((r, t) => Math.abs(r - none[t]) > 1e-6)).toBe(true);
      rel.forEach((r, t) => expect(r).toBeCloseTo(none[t] - plain[t], 12));
    } finally {
      env.setRewardBaseline(undefined);
    }
  });
});
