import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ACTIONS, FEATURE_NAMES, Mlp, MlpPolicy, type MlpPolicyFile, argmax, createPolicy, formatDecision, makeContextFeatures, parseAction,
} from '../../src/controller/index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/tiny-mlp.json', import.meta.url));
const tiny = (): MlpPolicyFile => JSON.parse(readFileSync(FIXTURE, 'utf8')) as MlpPolicyFile;
const dir = mkdtempSync(join(tmpdir(), 'edgetrack-mlp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Mlp forward pass', () => {
  it('dense + ReLU, last layer linear (hand-worked)', () => {
    // x = [1, 2]; hidden: h0 = relu(1·1 + 1·2 − 1) = 2, h1 = relu(−1·1 − 1·2 + 0) = relu(−3) = 0
    // out: o0 = 2·h0 − h1 + 0.5 = 4.5; o1 = −1·h0 + 0 = −2 (negative kept: no ReLU on the last layer)
    const m = new Mlp([
      { weight: [[1, 1], [-1, -1]], bias: [-1, 0] },
      { weight: [[2, -1], [-1, 0]], bias: [0.5, 0] },
    ], 2);
    expect(Array.from(m.forward(Float32Array.from([1, 2])))).toEqual([4.5, -2]);
    expect(() => m.forward(new Float32Array(3))).toThrow(/mlp input: expected 2 values, got 3/);
  });

  it('argmax breaks ties to the lowest index', () => {
    expect(argmax([0.1, 0.3, 0.3])).toBe(1);
  });
});

describe('action table', () => {
  it('default table: none + 4 qualities × (off, stride:3, full)', () => {
    expect(DEFAULT_ACTIONS).toHaveLength(13);
    expect(DEFAULT_ACTIONS[0]).toBe('none');
    expect(DEFAULT_ACTIONS[1]).toBe('offload:low:off');
    expect(DEFAULT_ACTIONS[12]).toBe('offload:full:full');
    for (const a of DEFAULT_ACTIONS) expect(formatDecision(parseAction(a))).toBe(a);
    expect(() => parseAction('offload:huge:off')).toThrow(/quality: expected one of low, medium, high, full/);
    expect(() => parseAction('upload')).toThrow(/action: expected "none" or "offload:<low\|medium\|high\|full>:<off\|full\|stride:S>"/);
  });
});

describe('MlpPolicy from a hand-made weights file (test/controller/fixtures/tiny-mlp.json)', () => {
  // Input = featureVector (mean 0, std 1). h0 = relu(age − 0.5) with age = ln(1+a)/ln(65);
  // h1 = relu(0.5 − meanConfidence). Outputs: none 0.2, offload:low:off h0, offload:high:full 2·h1.
  const ctx = (over: Record<string, number>) => makeContextFeatures({ frameIndex: 100, meanConfidence: 0.9, detectionAgeFrames: 0, ...over });

  it('loads through the registry with file:PATH and keeps metadata', () => {
    const p = createPolicy(`file:${FIXTURE}`) as MlpPolicy;
    expect(p.name).toBe(`file:${FIXTURE}`);
    expect(p.actionNames()).toEqual(['none', 'offload:low:off', 'offload:high:full']);
    expect(p.metadata.trainedOn).toBe('nothing');
  });

  it('decides by argmax of the hand-computed outputs', () => {
    const p = createPolicy(`file:${FIXTURE}`) as MlpPolicy;
    // fresh detection, confident: [0.2, 0, 0] → none
    expect(formatDecision(p.decide(ctx({})))).toBe('none');
    // age 63 → x = ln 64 / ln 65 = 0.99627; h0 = 0.49627 > 0.2 → offload:low:off
    expect(formatDecision(p.decide(ctx({ detectionAgeFrames: 63 })))).toBe('offload:low:off');
    expect(p.lastScores![1]).toBeCloseTo(Math.log(64) / Math.log(65) - 0.5, 5);
    // plus low confidence 0.1: h1 = 0.4 → 0.8 beats 0.496 → offload:high:full
    expect(formatDecision(p.decide(ctx({ detectionAgeFrames: 63, meanConfidence: 0.1 })))).toBe('offload:high:full');
    // same but a request in flight: offloads are masked → none
    expect(formatDecision(p.decide(ctx({ detectionAgeFrames: 63, meanConfidence: 0.1, inFlight: 1 })))).toBe('none');
  });

  it('applies the file normalisation (x − mean) / std', () => {
    const f = tiny();
    const mean = new Array(FEATURE_NAMES.length).fill(0);
    const std = new Array(FEATURE_NAMES.length).fill(1);
    mean[4] = 0.5; // meanConfidence 0.9 → (0.9 − 0.5)/0.5 = 0.8 → h1 = relu(0.5 − 0.8) = 0
    std[4] = 0.5; // meanConfidence 0.1 → (0.1 − 0.5)/0.5 = −0.8 → h1 = 1.3 → high:full = 2.6
    const p = new MlpPolicy({ ...f, normalisation: { mean, std } }, 'inline');
    expect(p.scores(ctx({ meanConfidence: 0.1 }))[2]).toBeCloseTo(2.6, 5);
    expect(p.scores(ctx({ meanConfidence: 0.9 }))[2]).toBe(0);
  });

  it('rejects malformed files with the field named', () => {
    const f = tiny();
    const bad = (patch: Partial<MlpPolicyFile> | Record<string, unknown>) => () => new MlpPolicy({ ...f, ...patch } as MlpPolicyFile, 'p.json');
    expect(bad({ type: 'cnn' })).toThrow(/p.json: type: expected "mlp", got "cnn"/);
    expect(bad({ features: ['fps'] })).toThrow(/p.json: features: expected the v1 feature list/);
    expect(bad({ normalisation: { mean: [0], std: f.normalisation.std } })).toThrow(/normalisation.mean: expected 14 numbers, got array\(1\)/);
    expect(bad({ normalisation: { mean: f.normalisation.mean, std: new Array(14).fill(0) } })).toThrow(/normalisation.std\[0\]: expected a number > 0, got 0/);
    expect(bad({ actions: ['none', 'offload:low:off'] })).toThrow(/weights: expected a last layer with 2 outputs \(one per action\), got "3 outputs"/);
    expect(bad({ actions: ['none', 'jump', 'offload:low:off'] })).toThrow(/action: expected "none" or/);
    const w = structuredClone(f.weights) as { weight: number[][]; bias: number[] }[];
    w[0].bias = [1];
    expect(bad({ weights: w })).toThrow(/p.json: weights\[0\].bias: expected 2 numbers, got array\(1\)/);
    const w2 = structuredClone(f.weights) as { weight: number[][]; bias: number[] }[];
    w2[1].weight[0] = [0, 0, 0];
    expect(bad({ weights: w2 })).toThrow(/weights\[1\].weight\[0\]: expected 2 numbers, got array\(3\)/);
  });

  it('file: errors for invalid JSON and unknown types', () => {
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{not json');
    expect(() => createPolicy(`file:${junk}`)).toThrow(/invalid JSON/);
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ type: 'transformer' }));
    expect(() => createPolicy(`file:${other}`)).toThrow(/type: expected one of mlp, got "transformer"/);
  });
});
