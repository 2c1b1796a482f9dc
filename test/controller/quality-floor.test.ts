import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACTIONS, createPolicy, formatDecision, makeContextFeatures, parseAction } from '../../src/controller/index.js';
import { FEATURE_NAMES_V2 } from '../../src/controller/features-v2.js';
import { MlpPolicy } from '../../src/controller/mlp.js';
import { QUALITY_FLOOR_CAP, allowedByFloor, nextQualityFloor, raiseToFloor } from '../../src/controller/quality-floor.js';
import { loadEnvVideo } from '../../src/controller/training/env-video.js';
import { OffloadEnv } from '../../src/controller/training/offload-env.js';
import { ffmpegPath } from '../../src/video/ffmpeg-path.js';
import { useTempCacheDir } from '../pipeline/helpers.js';

const weak = [{ score: 0.3 }, { score: 0.49 }];
const sure = [{ score: 0.3 }, { score: 0.5 }];

describe('quality floor rule', () => {
  it('rises one level above the answer when no detection could start a track and nothing is tracked', () => {
    expect(QUALITY_FLOOR_CAP).toBe(1); // medium
    expect(nextQualityFloor(0, 0, weak, 0)).toBe(1);
    expect(nextQualityFloor(0, 0, [], 0)).toBe(1);
  });

  it('stays when a detection scored ≥ 0.5 or a track is tracked', () => {
    expect(nextQualityFloor(0, 0, sure, 0)).toBe(0);
    expect(nextQualityFloor(0, 0, weak, 1)).toBe(0);
  });

  it('never rises above medium and never falls', () => {
    expect(nextQualityFloor(1, 1, [], 0)).toBe(1); // a weak medium answer: high would be next, capped
    expect(nextQualityFloor(0, 3, [], 0)).toBe(1);
    expect(nextQualityFloor(1, 0, sure, 3)).toBe(1);
  });

  it('allows none and offloads at or above it; raises the others to it', () => {
    const low = parseAction('offload:low:stride:3');
    expect(allowedByFloor(parseAction('none'), 1)).toBe(true);
    expect(allowedByFloor(low, 0)).toBe(true);
    expect(allowedByFloor(low, 1)).toBe(false);
    expect(allowedByFloor(parseAction('offload:high:off'), 1)).toBe(true);
    expect(formatDecision(raiseToFloor(low, 1))).toBe('offload:medium:stride:3');
    expect(raiseToFloor(low, 0)).toBe(low);
  });

  it('is validated in the context, naming the field', () => {
    expect(makeContextFeatures({ frameIndex: 1 }).qualityFloor).toBe(0);
    expect(() => makeContextFeatures({ frameIndex: 1, qualityFloor: 4 })).toThrow(/context\.qualityFloor: expected/);
    expect(() => makeContextFeatures({ frameIndex: 1, qualityFloor: 0.5 })).toThrow(/context\.qualityFloor/);
  });
});

describe('periodic with floor=on', () => {
  it('sends its offloads at the floor when its quality is below it, and says so in its name', () => {
    const p = createPolicy('periodic:10,low,stride:3,floor=on');
    expect(p.name).toBe('periodic:10,low,stride:3,floor=on');
    expect(formatDecision(p.decide(makeContextFeatures({ frameIndex: 0 })))).toBe('offload:low:stride:3');
    expect(formatDecision(p.decide(makeContextFeatures({ frameIndex: 10, qualityFloor: 1 })))).toBe('offload:medium:stride:3');
    expect(formatDecision(createPolicy('periodic:10,high,off,floor=on').decide(makeContextFeatures({ frameIndex: 0, qualityFloor: 1 })))).toBe('offload:high:off');
    expect(formatDecision(createPolicy('periodic:10,low').decide(makeContextFeatures({ frameIndex: 0, qualityFloor: 1 })))).toBe('offload:low:full');
    expect(createPolicy('periodic:10,low,floor=off').name).toBe('periodic:10,low,full');
  });

  it('refuses another floor value, naming it', () => {
    expect(() => createPolicy('periodic:10,low,floor=yes')).toThrow(/floor: expected on or off, got "yes"/);
  });
});

describe('a learned policy file with qualityFloor', () => {
  // a version-2 net whose biases prefer offload:low:off (1.0) over offload:medium:off (0.5) over none (0)
  const n = FEATURE_NAMES_V2.length;
  const bias = DEFAULT_ACTIONS.map((a) => (a === 'offload:low:off' ? 1 : a === 'offload:medium:off' ? 0.5 : 0));
  const file = (extra: Record<string, unknown>) => ({
    type: 'mlp' as const, featureVersion: 2 as const, tradeOff: { lambdaChannel: 0.01, lambdaEnergy: 0.002 },
    normalisation: { mean: Array(n).fill(0), std: Array(n).fill(1) },
    weights: [{ weight: DEFAULT_ACTIONS.map(() => Array(n).fill(0)), bias }], ...extra,
  });

  it('masks the offloads below the context\'s floor, and only then', () => {
    const floored = new MlpPolicy(file({ qualityFloor: true }), 'floored.json');
    expect(formatDecision(floored.decide(makeContextFeatures({ frameIndex: 3 })))).toBe('offload:low:off');
    expect(formatDecision(floored.decide(makeContextFeatures({ frameIndex: 3, qualityFloor: 1 })))).toBe('offload:medium:off');
    expect(floored.decide(makeContextFeatures({ frameIndex: 3, qualityFloor: 1, inFlight: 1 })).kind).toBe('none');
    const plain = new MlpPolicy(file({}), 'plain.json');
    expect(formatDecision(plain.decide(makeContextFeatures({ frameIndex: 3, qualityFloor: 1 })))).toBe('offload:low:off');
  });

  it('refuses a qualityFloor that is not a boolean, naming the file and field', () => {
    expect(() => new MlpPolicy(file({ qualityFloor: 'yes' }) as never, 'bad.json')).toThrow(/bad\.json: qualityFloor: expected true or false, got "yes"/);
  });
});

describe('the training environment with the quality floor (a grey clip: the detector finds nothing)', () => {
  useTempCacheDir();
  const dir = mkdtempSync(join(tmpdir(), 'edgetrack-floor-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('raises the floor after the first empty low answer and masks the agent\'s low offloads from then on', async () => {
    const clip = join(dir, 'grey.mp4');
    const made = spawnSync(ffmpegPath(), ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=gray:s=320x240:r=10:d=3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip]);
    expect(made.status, String(made.stderr)).toBe(0);
    const video = await loadEnvVideo(clip);
    try {
      const env = await OffloadEnv.create({ video: clip, trace: 'lte-drive', lambdaChannel: 0.01, lambdaEnergy: 0.002 }, video, { featureVersion: 6, qualityFloor: true });
      const lowOff = DEFAULT_ACTIONS.indexOf('offload:low:off');
      const mediumOff = DEFAULT_ACTIONS.indexOf('offload:medium:off');
      const lowActions = DEFAULT_ACTIONS.flatMap((a, i) => (a.startsWith('offload:low') ? [i] : []));
      let obs = env.reset();
      expect(env.context.qualityFloor).toBe(0);
      expect(obs.mask[lowOff]).toBe(1);
      let raisedAt = -1;
      let sentMediumAfter = false;
      for (let t = 0; t < env.frames; t++) {
        const floor = env.context.qualityFloor;
        if (floor > 0 && raisedAt < 0) raisedAt = t;
        if (floor > 0 && env.context.inFlight === 0) {
          expect(lowActions.map((i) => obs.mask[i])).toEqual([0, 0, 0]);
          expect(obs.mask[mediumOff]).toBe(1);
        }
        const a = obs.mask[lowOff] ? lowOff : obs.mask[mediumOff] ? mediumOff : 0;
        if (a === mediumOff) sentMediumAfter = true;
        const s = env.step(a);
        if (s.done) break;
        obs = s;
      }
      expect(raisedAt).toBeGreaterThan(0);
      expect(sentMediumAfter).toBe(true);
      // without the option the same context has the floor, but nothing is masked
      const open = await OffloadEnv.create({ video: clip, trace: 'lte-drive', lambdaChannel: 0.01, lambdaEnergy: 0.002 }, video, { featureVersion: 6 });
      let o = open.reset();
      for (let t = 0; t < raisedAt + 1; t++) o = open.step(o.mask[lowOff] ? lowOff : 0);
      expect(open.context.qualityFloor).toBe(1);
      if (open.context.inFlight === 0) expect(o.mask[lowOff]).toBe(1);
    } finally {
      video.close();
    }
  }, 120_000);
});
