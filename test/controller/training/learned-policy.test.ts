import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type MlpPolicy, createPolicy, makeContextFeatures } from '../../../src/controller/index.js';
import { DEFAULT_POLICY_FILE } from '../../../src/controller/default-policy.js';
import { DEFAULT_RECIPE } from '../../../src/controller/training/default-recipe.js';
import { stateLayout } from '../../../src/controller/feature-layouts.js';
import { removeTempDirs, runCli, tempDir } from '../../pipeline/helpers.js';

afterAll(() => removeTempDirs());

describe('the shipped learned policy (policies/default.json)', () => {
  it('is a λ-conditioned MLP of the recipe\'s feature layout whose metadata says what it was trained on', () => {
    const file = JSON.parse(readFileSync(DEFAULT_POLICY_FILE, 'utf8'));
    const version = DEFAULT_RECIPE.featureVersion;
    expect(file).toMatchObject({ type: 'mlp', featureVersion: version, features: stateLayout(version).names, maxInFlight: 1 });
    expect(file.metadata).toMatchObject({ featureVersion: version, date: DEFAULT_RECIPE.date });
    expect(file.qualityFloor ?? false).toBe(DEFAULT_RECIPE.qualityFloor); // masks offloads below the quality floor as the recipe trained it
    // the uplink head as the recipe trained it: its discount, and its scale grown by the horizon ratio (1 − discount) / (1 − γ)
    expect(file.metadata.channelDiscount).toBe(DEFAULT_RECIPE.channelDiscount);
    expect(file.rewardHeads.scales[1]).toBeCloseTo((file.tradeOff.lambdaChannel * (1 - DEFAULT_RECIPE.channelDiscount)) / (1 - DEFAULT_RECIPE.hyper.gamma), 12);
    // the recipe's runs (seeds seed … seed + restarts − 1); the file is the one with the best validation return
    const runs = file.metadata.restarts as { seed: number; bestValReturn: number }[];
    expect(runs.map((r) => r.seed)).toEqual(Array.from({ length: DEFAULT_RECIPE.restarts }, (_, k) => DEFAULT_RECIPE.seed + k));
    const best = runs.reduce((a, b) => (b.bestValReturn > a.bestValReturn ? b : a));
    expect(file.metadata).toMatchObject({ seed: best.seed, bestValReturn: best.bestValReturn });
    for (const k of ['videos', 'traces', 'valTraces', 'lambdaChannelRange', 'lambdaEnergyRange', 'seed', 'episodes', 'featureVersion', 'date']) {
      expect(file.metadata, k).toHaveProperty(k);
    }
    const p = createPolicy('learned') as MlpPolicy;
    expect(p.name).toBe(`learned:lambdac=${file.tradeOff.lambdaChannel},lambdae=${file.tradeOff.lambdaEnergy}`);
    expect(createPolicy('learned:lambdac=0.05').name).toBe(`learned:lambdac=0.05,lambdae=${file.tradeOff.lambdaEnergy}`);
    // masked while a request is in flight
    expect(p.decide(makeContextFeatures({ frameIndex: 3, inFlight: 1 })).kind).toBe('none');
  });

  it('runs a live source: `run lavfi:testsrc --clock live --policy learned`', async () => {
    const out = tempDir();
    const r = await runCli(['run', 'lavfi:testsrc=size=320x240:rate=10', '--clock', 'live', '--policy', 'learned', '--duration', '2', '--out', out]);
    expect(r.stderr).not.toMatch(/edgetrack: /);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.policy).toMatch(/^learned:lambdac=/);
    expect(report.frames).toBeGreaterThan(5);
  });
});
