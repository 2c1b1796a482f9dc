import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACTIONS, FEATURE_NAMES, createPolicy, makeContextFeatures, featureVector, loadMlpPolicyFile } from '../../../src/controller/index.js';
import { MlpNet, policyFileFromNet } from '../../../src/controller/learn/index.js';

const dir = mkdtempSync(join(tmpdir(), 'edgetrack-learn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('policyFileFromNet', () => {
  it('writes a file the policy loader accepts and that decides like the net; same net ⇒ same bytes', () => {
    const net = MlpNet.create([FEATURE_NAMES.length, 8, DEFAULT_ACTIONS.length], { seed: 21 });
    const mean = FEATURE_NAMES.map((_, i) => i / 10);
    const std = FEATURE_NAMES.map((_, i) => 1 + i / 7);
    const file = policyFileFromNet(net, { features: FEATURE_NAMES, normalisation: { mean, std }, actions: DEFAULT_ACTIONS, metadata: { seed: 21 } });
    const text = JSON.stringify(file);
    expect(JSON.stringify(policyFileFromNet(net.clone(), { features: FEATURE_NAMES, normalisation: { mean, std }, actions: DEFAULT_ACTIONS, metadata: { seed: 21 } }))).toBe(text);
    const path = join(dir, 'p.json');
    writeFileSync(path, text);
    const policy = loadMlpPolicyFile(path);
    expect(policy.metadata).toEqual({ seed: 21 });
    expect(createPolicy(`file:${path}`).name).toBe(`file:${path}`);
    const ctx = makeContextFeatures({ frameIndex: 4, fps: 25, motionPx: 2, trackCount: 3, lostCount: 0, meanConfidence: 0.9, minConfidence: 0.7, detectionAgeFrames: 4, framesSinceLastOffload: 4, inFlight: 0 });
    const x = featureVector(ctx);
    for (let i = 0; i < x.length; i++) x[i] = (x[i] - Math.fround(mean[i])) / Math.fround(std[i]);
    expect(Array.from(policy.scores(ctx))).toEqual(Array.from(net.forward(x)));
  });

  it('shape mismatches are named', () => {
    const net = MlpNet.create([3, 2]);
    expect(() => policyFileFromNet(net, { normalisation: { mean: [0], std: [1] } })).toThrow(/policy normalisation: expected mean and std of 3 values \(the net's inputs\), got 1 and 1/);
    expect(() => policyFileFromNet(net, { actions: ['none'] })).toThrow(/policy actions: expected 2 actions \(the net's outputs\), got 1/);
    expect(() => policyFileFromNet(net, { features: ['a'] })).toThrow(/policy features: expected 3 names/);
  });
});
