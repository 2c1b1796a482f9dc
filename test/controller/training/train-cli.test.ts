import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPolicy } from '../../../src/controller/index.js';
import { checkTrainInputs, frameBalancedRepeats } from '../../../src/controller/training/train-policy.js';
import { SAMPLE_CLIP, removeTempDirs, runCli, tempDir } from '../../pipeline/helpers.js';

const SHIPPED_POLICY = new URL('../../../policies/default.json', import.meta.url).pathname;

afterAll(() => removeTempDirs());

describe('edgetrack train: inputs checked before any work (exit 2, the bad input named)', () => {
  it.each([
    ['a missing video', ['--videos', '/nonexistent/clip.mp4', '--traces', 'lte-drive'], /--videos \/nonexistent\/clip\.mp4: no such file or folder/],
    ['an empty trace folder', ['--videos', SAMPLE_CLIP, '--traces', 'EMPTY'], /--traces: folder .* holds no trace file/],
    ['a trace that is neither preset nor file', ['--videos', SAMPLE_CLIP, '--traces', 'wifi-bad'], /--traces: "wifi-bad" is neither a preset/],
    ['an unparseable trace file', ['--videos', SAMPLE_CLIP, '--traces', 'BADTRACE'], /trace .*bad\.log/],
    ['a ground-truth list of the wrong length', ['--videos', SAMPLE_CLIP, '--gt', 'a.txt,b.txt', '--traces', 'lte-drive'], /--gt: expected one ground truth per --videos entry \(1\), got 2/],
    ['an --init file that is not a v2 to v6 policy', ['--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--init', 'TINY'], /init .*expected an mlp policy file with featureVersion 2, 3, 4, 5 or 6/],
    ['an unknown augmentation', ['--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--augment', 'zoom-out,mirror'], /--augment: expected a list of zoom-out, zoom-in, half-fps, third-fps, triple-fps, got "mirror"/],
    ['an unknown reward baseline', ['--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--reward-baseline', 'periodic:x'], /periodic/],
    ['a relabelling share outside [0, 1]', ['--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--relabel-share', '1.5'], /--relabel-share.*1\.5/],
    ['a channel discount without reward heads', ['--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--channel-discount', '0'], /channelDiscount: needs rewardHeads/],
    ['a channel discount outside [0, 1]', ['--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--reward-heads', '--channel-discount', '1'], /channelDiscount: expected a number in \[0, 1\), got 1/],
    ['an unknown recipe', ['--recipe', 'best', '--videos', SAMPLE_CLIP, '--traces', 'lte-drive'], /recipe: expected one of shipped, got "best"/],
    ['an unknown feature layout', ['--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--feature-version', '7'], /--feature-version.*expected an integer in \[2, 6\]/],
    ['an --init policy of another layout than --feature-version', ['--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--init', 'SHIPPED', '--feature-version', '2'], /init .*expected an mlp policy file with featureVersion 2 \(from edgetrack train\), got type "mlp", featureVersion [3-6]/],
    ['restarts without validation traces', ['--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--restarts', '2'], /restarts: more than one run needs validation traces/],
    ['an output that is not .json', ['--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--out', 'x.txt'], /out: expected a \.json path/],
    ['a tracker option that does not exist', ['--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--tracker', '{"nope":1}'], /--tracker: the JSON text: tracker\.nope: expected one of .*classFusion/],
    ['tracker options from a missing file', ['--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--tracker', '/no/such/tracker.json'], /--tracker: expected JSON options .*no such file/],
  ])('%s', async (_name, args, message) => {
    const dir = tempDir();
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const bad = join(dir, 'bad.log');
    writeFileSync(bad, 'not a trace\n');
    const tiny = new URL('../fixtures/tiny-mlp.json', import.meta.url).pathname;
    const shipped = new URL('../../../policies/default.json', import.meta.url).pathname;
    const resolved = args.map((a) => (a === 'EMPTY' ? empty : a === 'BADTRACE' ? bad : a === 'TINY' ? tiny : a === 'SHIPPED' ? shipped : a));
    const out = resolved.includes('--out') ? [] : ['--out', join(dir, 'policy.json')];
    const t = performance.now();
    const r = await runCli(['train', ...resolved, ...out]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(performance.now() - t).toBeLessThan(20_000); // refused before any cache work
  });
});

describe('edgetrack train: a tiny recipe (smoke test)', () => {
  it('trains, writes policy.json + curve + plot, reproduces the same bytes with the same seed, and the policy loads', async () => {
    const dir = tempDir();
    const args = (out: string, seed: string) => [
      'train', '--videos', SAMPLE_CLIP, '--traces', 'lte-drive,wifi-erratic', '--val-traces', 'wifi-good', '--max-frames', '20',
      '--episodes', '4', '--validate-every', '2', '--seed', seed, '--date', '2026-11-27', '--workers', '1', '--out', out,
    ];
    const a = await runCli(args(join(dir, 'a.json'), '5'));
    expect(a.stderr).not.toMatch(/edgetrack: /);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/trained 4 episodes \(80 frames/);
    const b = await runCli(args(join(dir, 'b.json'), '5'));
    expect(b.code).toBe(0);
    const fileA = readFileSync(join(dir, 'a.json'), 'utf8');
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(fileA);
    const json = JSON.parse(fileA);
    expect(json).toMatchObject({ type: 'mlp', featureVersion: 3, tradeOff: { lambdaChannel: 0.01, lambdaEnergy: 0.002 }, maxInFlight: 1 });
    expect(json.metadata).toMatchObject({ seed: 5, episodes: 4, date: '2026-11-27', traces: ['lte-drive', 'wifi-erratic'], valTraces: ['wifi-good'], featureVersion: 3 });
    expect(readFileSync(join(dir, 'a.png')).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(JSON.parse(readFileSync(join(dir, 'a.curve.json'), 'utf8')).curve).toHaveLength(4);
    // the file loads as a λ-conditioned policy and the trade-off can be moved at run time
    const p = createPolicy(`file:${join(dir, 'a.json')}`, { tradeOff: { lambdaChannel: 0.05 } }) as unknown as { tradeOff: unknown };
    expect(p.tradeOff).toEqual({ lambdaChannel: 0.05, lambdaEnergy: 0.002 });
    // fine-tuning keeps the init net's shape: no reward heads onto a net without them, none taken off
    const base = { videos: [{ video: SAMPLE_CLIP }], traces: ['lte-drive'], episodes: 1, out: join(dir, 'c.json') };
    await expect(checkTrainInputs({ ...base, init: join(dir, 'a.json'), rewardHeads: true })).rejects.toThrow(/rewardHeads: the init file .*a\.json has one output per action, no reward heads/);
    await expect(checkTrainInputs({ ...base, init: SHIPPED_POLICY, rewardHeads: false })).rejects.toThrow(/rewardHeads: the init file .*default\.json has reward heads/);
  }, 180_000);

  it('--recipe shipped trains with the recipe of policies/default.json; flags given on the command line override it', async () => {
    const dir = tempDir();
    const out = join(dir, 'recipe.json');
    const r = await runCli([
      'train', '--recipe', 'shipped', '--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--val-traces', 'wifi-good', '--max-frames', '20',
      '--episodes', '2', '--validate-every', '2', '--demonstrations', '2', '--pretrain-updates', '10', '--workers', '1', '--date', '2026-11-28', '--out', out,
    ]);
    expect(r.stderr).not.toMatch(/edgetrack: /);
    expect(r.code).toBe(0);
    const shipped = JSON.parse(readFileSync(SHIPPED_POLICY, 'utf8'));
    const file = JSON.parse(readFileSync(out, 'utf8'));
    // the recipe's: layout, heads and their scales, floor, uplink discount, baseline, λ ranges, hyper-parameters, seeds of its restarts
    expect(file.featureVersion).toBe(shipped.featureVersion);
    expect(file.rewardHeads).toEqual(shipped.rewardHeads);
    expect(file.qualityFloor).toBe(true);
    const m = file.metadata;
    expect(m).toMatchObject({ channelDiscount: 0, rewardBaseline: shipped.metadata.rewardBaseline, lambdaChannelRange: shipped.metadata.lambdaChannelRange, hyper: shipped.metadata.hyper });
    expect(m.restarts.map((x: { seed: number }) => x.seed)).toEqual([1, 2, 3]);
    // the flags given: episodes, demonstrations, pre-training updates
    expect(m).toMatchObject({ episodes: 2, demonstrations: 2, pretrainUpdates: 10 });
    // a flag given with its default value still overrides the recipe
    const one = join(dir, 'one.json');
    const r1 = await runCli([
      'train', '--recipe', 'shipped', '--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--val-traces', 'wifi-good', '--max-frames', '20',
      '--episodes', '1', '--restarts', '1', '--demonstrations', '0', '--workers', '1', '--out', one,
    ]);
    expect(r1.code).toBe(0);
    const m1 = JSON.parse(readFileSync(one, 'utf8')).metadata;
    expect(m1.restarts).toBeUndefined();
    expect(m1).toMatchObject({ demonstrations: 0, episodes: 1, featureVersion: shipped.featureVersion });
  }, 180_000);

  it('--init policies/default.json fine-tunes the shipped policy: its reward heads, their scales, the uplink head\'s discount and the quality floor carry over', async () => {
    const dir = tempDir();
    const out = join(dir, 'tuned.json');
    const r = await runCli([
      'train', '--init', SHIPPED_POLICY, '--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--max-frames', '20',
      '--episodes', '2', '--workers', '1', '--date', '2026-11-28', '--out', out,
    ]);
    expect(r.stderr).not.toMatch(/edgetrack: /);
    expect(r.code).toBe(0);
    const shipped = JSON.parse(readFileSync(SHIPPED_POLICY, 'utf8'));
    const tuned = JSON.parse(readFileSync(out, 'utf8'));
    expect(tuned.featureVersion).toBe(shipped.featureVersion);
    expect(tuned.rewardHeads).toEqual(shipped.rewardHeads);
    expect(tuned.qualityFloor).toBe(shipped.qualityFloor);
    expect(tuned.metadata).toMatchObject({ init: 'default.json', channelDiscount: shipped.metadata.channelDiscount, rewardHeads: true });
    expect(tuned.weights.at(-1).bias).toHaveLength(shipped.weights.at(-1).bias.length);
  }, 180_000);

  it('--restarts keeps the run with the best validation return, the same net as that seed trained alone (layout 4, λ relabelling, reward heads with a myopic uplink head)', async () => {
    const dir = tempDir();
    const args = (out: string, extra: string[]) => [
      'train', '--videos', SAMPLE_CLIP, '--traces', 'lte-drive,wifi-erratic', '--val-traces', 'wifi-good,lte-drive', '--max-frames', '20',
      '--episodes', '4', '--validate-every', '2', '--date', '2026-11-27', '--workers', '1', '--feature-version', '4', '--relabel-share', '0.5', '--reward-heads', '--channel-discount', '0', '--out', out, ...extra,
    ];
    const both = await runCli(args(join(dir, 'both.json'), ['--seed', '5', '--restarts', '2']));
    expect(both.stderr).not.toMatch(/edgetrack: /);
    expect(both.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'both.json'), 'utf8'));
    expect(json.featureVersion).toBe(4);
    expect(json.metadata.relabelShare).toBe(0.5);
    expect(json.metadata.channelDiscount).toBe(0);
    expect(json.rewardHeads.scales[0]).toBe(1); // the uplink head's scale grows by the horizon ratio (1 − 0) / (1 − γ)
    expect(json.rewardHeads.scales[1]).toBeCloseTo(0.01 / (1 - 0.99), 9);
    expect(json.rewardHeads.scales[2]).toBe(0.002);
    expect(json.weights.at(-1).bias).toHaveLength(3 * 13);
    const runs = json.metadata.restarts as { seed: number; bestValReturn: number }[];
    expect(runs.map((r) => r.seed)).toEqual([5, 6]);
    const best = runs[1].bestValReturn > runs[0].bestValReturn ? runs[1] : runs[0];
    expect(json.metadata.seed).toBe(best.seed);
    expect(json.metadata.bestValReturn).toBe(best.bestValReturn);
    const alone = await runCli(args(join(dir, 'alone.json'), ['--seed', String(best.seed)]));
    expect(alone.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'alone.json'), 'utf8')).weights).toEqual(json.weights);
  }, 180_000);
});

describe('edgetrack train --tracker', () => {
  it('trains on the tracker it is given (the learning differs), records it in the metadata, and fine-tuning keeps it', async () => {
    const dir = tempDir();
    const args = (out: string, extra: string[]) => [
      'train', '--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--max-frames', '20', '--episodes', '2',
      '--seed', '5', '--date', '2026-11-27', '--workers', '0', '--out', out, ...extra,
    ];
    const plain = await runCli(args(join(dir, 'plain.json'), []));
    expect(plain.code, plain.stderr).toBe(0);
    // minNewTrackScore 1: no detection starts a track, so the episodes' recall and returns change
    const strict = await runCli(args(join(dir, 'strict.json'), ['--tracker', '{"minNewTrackScore":1}']));
    expect(strict.code, strict.stderr).toBe(0);
    const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
    expect(read('strict.json').metadata.tracker).toEqual({ minNewTrackScore: 1 });
    expect(read('plain.json').metadata.tracker).toBeUndefined();
    const returns = (name: string) => read(name).curve.map((p: { trainReturn: number }) => p.trainReturn);
    expect(returns('strict.curve.json')).not.toEqual(returns('plain.curve.json'));
    const tuned = await runCli(['train', '--videos', SAMPLE_CLIP, '--traces', 'lte-drive', '--max-frames', '20', '--episodes', '1', '--workers', '0', '--init', join(dir, 'strict.json'), '--out', join(dir, 'tuned.json')]);
    expect(tuned.code, tuned.stderr).toBe(0);
    expect(read('tuned.json').metadata.tracker).toEqual({ minNewTrackScore: 1 });
  }, 180_000);
});

describe('trainPolicy inputs: validation-only videos and head options', () => {
  it('validation videos need validation traces and must exist; head options need heads (checked before any work)', async () => {
    const base = { videos: [{ video: SAMPLE_CLIP }], traces: ['lte-drive'], episodes: 1, out: join(tempDir(), 'p.json') };
    await expect(checkTrainInputs({ ...base, valVideos: [{ video: SAMPLE_CLIP }] })).rejects.toThrow(/valVideos: validation videos need validation traces/);
    await expect(checkTrainInputs({ ...base, valTraces: ['wifi-good'], valVideos: [{ video: '/nonexistent/val.mp4' }] })).rejects.toThrow(/video \/nonexistent\/val\.mp4: no such file/);
    await expect(checkTrainInputs({ ...base, valTraces: ['wifi-good'], valVideos: [{ video: SAMPLE_CLIP }] })).resolves.toBeUndefined();
    await expect(checkTrainInputs({ ...base, conditionedHeads: true })).rejects.toThrow(/conditionedHeads: needs rewardHeads/);
    await expect(checkTrainInputs({ ...base, channelDiscount: 0 })).rejects.toThrow(/channelDiscount: needs rewardHeads/);
    await expect(checkTrainInputs({ ...base, rewardHeads: true, channelDiscount: 1 })).rejects.toThrow(/channelDiscount: expected a number in \[0, 1\), got 1/);
    await expect(checkTrainInputs({ ...base, rewardHeads: true, channelDiscount: 0 })).resolves.toBeUndefined();
  });
});

describe('frame-balanced training order', () => {
  it('repeats shorter videos so that each gives about as many transitions as the longest', () => {
    expect(frameBalancedRepeats([795, 50, 104, 17, 795])).toEqual([1, 16, 8, 47, 1]);
    expect(frameBalancedRepeats([10])).toEqual([1]);
    expect(() => frameBalancedRepeats([10, 0])).toThrow(/frames\[1\]: expected an integer ≥ 1, got 0/);
  });
});
