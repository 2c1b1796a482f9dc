import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACTIONS, HeuristicPolicy, type MlpPolicy, createPolicy, formatDecision, listPolicies, makeContextFeatures } from '../../src/controller/index.js';
import { FEATURE_NAMES_V2 } from '../../src/controller/features-v2.js';
import { simulate } from './sim.js';

describe('baseline policies (toy channel: request in flight for `latency` frames)', () => {
  it('never: one offload at frame 0; again only after a reported failure', () => {
    const p = createPolicy('never');
    expect(simulate(p, 50, 2).sent).toEqual([0]);
    p.reset();
    const first = p.decide(makeContextFeatures({ frameIndex: 0 }));
    expect(formatDecision(first)).toBe('offload:full:full');
    expect(p.decide(makeContextFeatures({ frameIndex: 1 })).kind).toBe('none');
    p.observe!({ frameIndex: 0, status: 'failed', bytes: 1000, latencyMs: Number.NaN, detectionCount: 0 });
    expect(p.decide(makeContextFeatures({ frameIndex: 2 })).kind).toBe('offload');
  });

  it('never waits while a request is in flight at frame 0', () => {
    const p = createPolicy('never');
    expect(p.decide(makeContextFeatures({ frameIndex: 0, inFlight: 1 })).kind).toBe('none');
    expect(p.decide(makeContextFeatures({ frameIndex: 1 })).kind).toBe('offload');
  });

  it('periodic:10 with a fast channel offloads 0, 10, 20, …', () => {
    expect(simulate(createPolicy('periodic:10'), 35, 2).sent).toEqual([0, 10, 20, 30]);
  });

  it('periodic:10 with latency 12 defers while busy and keeps its phase', () => {
    // 0 in flight 0..11 → due 10 deferred to 12 (next due 20); 12 in flight 12..23 → 24 (next due 30) → 36
    expect(simulate(createPolicy('periodic:10'), 40, 12).sent).toEqual([0, 12, 24, 36]);
  });

  it('inflight=2 lets a second request go while one is pending', () => {
    expect(simulate(createPolicy('periodic:10,inflight=2'), 40, 12).sent).toEqual([0, 10, 20, 30]);
  });

  it('periodic:5,low,stride:3 decides the given quality and Katch-Up', () => {
    const p = createPolicy('periodic:5,low,stride:3');
    expect(p.name).toBe('periodic:5,low,stride:3');
    expect(formatDecision(simulate(p, 1, 1).decisions[0])).toBe('offload:low:stride:3');
    expect(createPolicy('periodic:10').name).toBe('periodic:10,high,full');
  });

  it('full offloads whenever nothing is in flight', () => {
    const r = simulate(createPolicy('full'), 10, 3);
    expect(r.sent).toEqual([0, 3, 6, 9]);
    expect(formatDecision(r.decisions[0])).toBe('offload:full:full');
  });

  it('minimal: every 30 frames, lowest quality, no Katch-Up', () => {
    const r = simulate(createPolicy('minimal'), 70, 2);
    expect(r.sent).toEqual([0, 30, 60]);
    expect(formatDecision(r.decisions[0])).toBe('offload:low:off');
    expect(simulate(createPolicy('minimal:10'), 25, 2).sent).toEqual([0, 10, 20]);
  });

  it('reset restarts the schedule', () => {
    const p = createPolicy('periodic:10');
    simulate(p, 15, 1);
    p.reset();
    expect(simulate(p, 1, 1).sent).toEqual([0]);
  });
});

describe('heuristic', () => {
  const base = { trackCount: 3, meanConfidence: 0.9, minConfidence: 0.8, detectionAgeFrames: 6, framesSinceLastOffload: 6, motionPx: 2 };
  /**
   * Feeds a fresh policy one quiet frame (frame 49, age one less: the tracker's state after the last
   * applied detection is `base`) and then frame 50 with `over`; returns the second decision and reason.
   */
  const decide = (over: Record<string, number>, p = new HeuristicPolicy()) => {
    const age = over.detectionAgeFrames ?? base.detectionAgeFrames;
    p.decide(makeContextFeatures({ frameIndex: 49, ...base, detectionAgeFrames: age - 1, framesSinceLastOffload: 0 }));
    const d = p.decide(makeContextFeatures({ frameIndex: 50, ...base, ...over }));
    return { d: formatDecision(d), reason: p.lastReason };
  };

  it('decision table: one trigger at a time', () => {
    // initial: no detection yet (age > frameIndex) → full Katch-Up
    const p0 = new HeuristicPolicy();
    expect([formatDecision(p0.decide(makeContextFeatures({ frameIndex: 0 }))), p0.lastReason]).toEqual(['offload:high:full', 'initial']);
    expect(decide({})).toMatchObject({ d: 'none', reason: 'quiet' });
    expect(decide({ inFlight: 1, detectionAgeFrames: 100 }).reason).toBe('busy');
    expect(decide({ detectionAgeFrames: 30, framesSinceLastOffload: 1 }).reason).toBe('stale'); // maxAge beats minGap
    expect(decide({ detectionAgeFrames: 29 }).reason).toBe('quiet');
    expect(decide({ meanConfidence: 0.59 }).reason).toBe('low-confidence');
    expect(decide({ minConfidence: 0.29 }).reason).toBe('low-confidence');
    expect(decide({ meanConfidence: 0.1, framesSinceLastOffload: 2 }).reason).toBe('quiet'); // minGap 3
    expect(decide({ lostCount: 1 }).reason).toBe('lost');
    expect(decide({ trackCount: 2 }).reason).toBe('track-dropped');
    expect(decide({ trackCount: 4 }).reason).toBe('quiet'); // a new track is not a reason
    expect(decide({ motionPx: 8, detectionAgeFrames: 5 }).reason).toBe('fast-motion');
    expect(decide({ motionPx: 8, detectionAgeFrames: 4 }).reason).toBe('quiet');
  });

  it('empty scene: polls for new objects every emptyAge frames', () => {
    const p = new HeuristicPolicy();
    const empty = { trackCount: 0, meanConfidence: 0, minConfidence: 0 };
    p.decide(makeContextFeatures({ frameIndex: 40, ...empty, detectionAgeFrames: 0, framesSinceLastOffload: 5 })); // detection applied: 0 tracks
    p.decide(makeContextFeatures({ frameIndex: 49, ...empty, detectionAgeFrames: 9, framesSinceLastOffload: 14 }));
    expect(p.lastReason).toBe('quiet');
    p.decide(makeContextFeatures({ frameIndex: 50, ...empty, detectionAgeFrames: 10, framesSinceLastOffload: 15 }));
    expect(p.lastReason).toBe('empty');
  });

  it('lost / dropped tracks are measured against the last applied detection, not re-triggered by it', () => {
    const p = new HeuristicPolicy();
    const at = (frameIndex: number, age: number, over: Record<string, number>) => {
      p.decide(makeContextFeatures({ frameIndex, ...base, detectionAgeFrames: age, framesSinceLastOffload: 5, ...over }));
      return p.lastReason;
    };
    expect(at(10, 4, { lostCount: 1 })).toBe('quiet'); // first frame seen: baseline (1 lost)
    expect(at(11, 5, { lostCount: 1 })).toBe('quiet'); // still the same lost track
    expect(at(12, 6, { lostCount: 2 })).toBe('lost'); // one more lost since the detection
    expect(at(13, 2, { lostCount: 0, trackCount: 2 })).toBe('quiet'); // detection applied (age reset): new baseline 2 tracks
    expect(at(14, 3, { trackCount: 1 })).toBe('track-dropped');
  });

  it('quality follows the uplink estimate; Katch-Up follows latency and motion', () => {
    const trig = { lostCount: 1 };
    expect(decide({ ...trig, uplinkMbps: 8 }).d).toMatch(/^offload:high:/);
    expect(decide({ ...trig, uplinkMbps: 3 }).d).toMatch(/^offload:medium:/);
    expect(decide({ ...trig, uplinkMbps: 2.9 }).d).toMatch(/^offload:low:/);
    // fps 30: 20 ms = 0.6 frame → off; 100 ms = 3 frames → full; 400 ms = 12 frames > 8 → stride:3
    expect(decide({ ...trig, lastDetectionLatencyMs: 20 }).d).toBe('offload:high:off');
    expect(decide({ ...trig, lastDetectionLatencyMs: 100 }).d).toBe('offload:high:full');
    expect(decide({ ...trig, lastDetectionLatencyMs: 400 }).d).toBe('offload:high:stride:3');
    expect(decide({ ...trig, lastDetectionLatencyMs: 100, motionPx: 0.5 }).d).toBe('offload:high:off');
    // before any answer: RTT 50 + queue 0 = 1.5 frames → full
    expect(decide({ ...trig }).d).toBe('offload:high:full');
  });

  it('thresholds from the spec', () => {
    const p = createPolicy('heuristic:maxage=10,inflight=2') as HeuristicPolicy;
    expect(p.name).toBe('heuristic:maxage=10,inflight=2');
    expect(p.options.maxAge).toBe(10);
    expect(p.options.maxInFlight).toBe(2);
    expect(decide({ detectionAgeFrames: 10, inFlight: 1 }, p).reason).toBe('stale');
  });

  it('on a steady scene it offloads only when the detection goes stale', () => {
    // latency 2 frames, 100 frames, all quiet: initial at 0, then whenever the applied detection's
    // frame is 30 frames old (age counts from the detected frame, not from when it was applied)
    const r = simulate(new HeuristicPolicy(), 100, 2);
    expect(r.sent).toEqual([0, 30, 60, 90]);
  });
});

describe('registry', () => {
  it('lists every built-in with usage', () => {
    expect(listPolicies().map((p) => p.name)).toEqual(['never', 'periodic', 'full', 'minimal', 'heuristic', 'file', 'learned']);
    for (const p of listPolicies()) expect(p.usage.startsWith(p.name)).toBe(true);
  });

  it('bad specs give errors listing the valid forms', () => {
    expect(() => createPolicy('sometimes')).toThrow(/policy: unknown "sometimes"; expected one of never\[:inflight=K\] \| periodic:N/);
    expect(() => createPolicy('')).toThrow(/policy: expected one of never/);
    expect(() => createPolicy('periodic')).toThrow(/missing period N \(usage: periodic:N\[,low\|medium\|high\|full/);
    expect(() => createPolicy('periodic:0')).toThrow(/N: expected an integer in \[1, 1000000\], got "0"/);
    expect(() => createPolicy('periodic:5,ultra')).toThrow(/quality: expected one of low, medium, high, full, got "ultra"/);
    expect(() => createPolicy('periodic:5,low,sometimes')).toThrow(/katchup: expected "off", "full" or "stride:S"/);
    expect(() => createPolicy('periodic:5,low,off,extra')).toThrow(/too many arguments/);
    expect(() => createPolicy('full:speed=2')).toThrow(/unknown option "speed"; valid options: inflight/);
    expect(() => createPolicy('never:inflight=0')).toThrow(/inflight: expected an integer in \[1, 64\], got "0"/);
    expect(() => createPolicy('heuristic:maxage=abc')).toThrow(/maxage: expected a number/);
    expect(() => createPolicy('heuristic:minmeanconf=2')).toThrow(/heuristic\.minMeanConf: expected a number in \[0, 1\], got 2/);
    expect(() => createPolicy('heuristic:bogus=1')).toThrow(/unknown option "bogus"; valid options: maxage, mingap/);
    expect(() => createPolicy('file:')).toThrow(/missing path/);
    expect(() => createPolicy('file:/nonexistent/p.json')).toThrow(/policy file \/nonexistent\/p.json: cannot read/);
  });

  it('names round-trip through createPolicy', () => {
    for (const spec of ['never', 'periodic:5,low,stride:3', 'full:inflight=2', 'minimal', 'minimal:60', 'heuristic:mingap=5']) {
      const p = createPolicy(spec);
      expect(createPolicy(p.name).name).toBe(p.name);
    }
  });
});

describe('λ-conditioned policies', () => {
  it('refuse a trade-off on policies that are not conditioned, naming the policy', () => {
    expect(() => createPolicy('heuristic', { tradeOff: { lambdaChannel: 0.1 } })).toThrow(/policy "heuristic": --lambda-channel\/--lambda-energy apply to λ-conditioned learned policies/);
  });

  it('a version-2 file takes its trade-off from the file, overridden per field by the caller', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrack-v2-'));
    const file = join(dir, 'v2.json');
    const n = FEATURE_NAMES_V2.length;
    const weights = [{ weight: DEFAULT_ACTIONS.map((_, a) => FEATURE_NAMES_V2.map((__, i) => (i === n - 2 ? (a === 0 ? 3 : 0) : 0))), bias: DEFAULT_ACTIONS.map((_, a) => (a === 1 ? 0.5 : 0)) }];
    writeFileSync(file, JSON.stringify({ type: 'mlp', featureVersion: 2, tradeOff: { lambdaChannel: 0.01, lambdaEnergy: 0.002 }, normalisation: { mean: Array(n).fill(0), std: Array(n).fill(1) }, weights }));
    const ctx = makeContextFeatures({ frameIndex: 5 });
    // output 0 (none) = 3 · feature(λc) (0.31 at λc 0.01, 3 at 0.1); output 1 (offload:low:off) = 0.5: a higher λc tips the decision to none
    expect((createPolicy(`file:${file}`) as MlpPolicy).tradeOff).toEqual({ lambdaChannel: 0.01, lambdaEnergy: 0.002 });
    expect(createPolicy(`file:${file}`).decide(ctx).kind).toBe('offload');
    expect(createPolicy(`file:${file}`, { tradeOff: { lambdaChannel: 0.1 } }).decide(ctx).kind).toBe('none');
    expect((createPolicy(`file:${file}`, { tradeOff: { lambdaEnergy: 0.05 } }) as MlpPolicy).tradeOff).toEqual({ lambdaChannel: 0.01, lambdaEnergy: 0.05 });
    writeFileSync(file, JSON.stringify({ type: 'mlp', featureVersion: 2, normalisation: { mean: Array(n).fill(0), std: Array(n).fill(1) }, weights }));
    expect(() => createPolicy(`file:${file}`)).toThrow(/v2\.json: tradeOff: expected \{lambdaChannel, lambdaEnergy\}/);
    writeFileSync(file, JSON.stringify({ type: 'mlp', featureVersion: 7, normalisation: { mean: [], std: [] }, weights }));
    expect(() => createPolicy(`file:${file}`)).toThrow(/featureVersion: expected 1, 2, 3, 4, 5 or 6, got 7/);
    writeFileSync(file, JSON.stringify({ type: 'mlp', featureVersion: 2, tradeOff: { lambdaChannel: -1, lambdaEnergy: 0 }, normalisation: { mean: Array(n).fill(0), std: Array(n).fill(1) }, weights }));
    expect(() => createPolicy(`file:${file}`)).toThrow(/tradeOff\.lambdaChannel: expected a number ≥ 0, got -1/);
    rmSync(dir, { recursive: true, force: true });
  });
});
