/**
 * `npm run train:default`: trains the policy shipped with edgetrack (policies/default.json) with the
 * recipe below on the training part of the development data (src/controller/training/default-recipe.ts),
 * validating on the validation traces. Same code + same data ⇒ the same bytes. Needs ../shared and the
 * PETS09 video (scripts/fetch-pets-video.sh). Extra arguments: --episodes N, --seed S, --restarts N, --lambda-channel-range LO,HI, --feature-version 2|3|4|5|6, --reward-baseline SPEC|none, --relabel-share X, --reward-heads, --conditioned-heads / --no-conditioned-heads (the heads see the λs, or not), --channel-discount X (the uplink head's discount; 0: the offload's own bytes), --balance-frames (each training video gives about as many transitions), --quality-floor / --no-quality-floor (mask offloads below the quality floor), --validate-every N, --no-augment, --augment NAME:KIND,… (replaces the recipe's augmentation list), --drop NAME,… (replaces the recipe's list; leaves these training sequences or augmented copies out, e.g. DAVIS16-breakdance,DAVIS16-blackswan+zoom-in), --val-only NAME,… (replaces the recipe's list; uses these only in validation), --oracle (train against the oracle, not gt.txt), --out FILE (for experiments).
 */
import { createProgress } from '../src/cli/progress.js';
import type { Augmentation } from '../src/controller/training/augment.js';
import type { StateVersion } from '../src/controller/feature-layouts.js';
import { DEFAULT_RECIPE, augmentedTrainVideos, developmentSplit } from '../src/controller/training/default-recipe.js';
import { trainPolicy } from '../src/controller/training/train-policy.js';
import { findPetsVideo } from '../src/video/index.js';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const pets = await findPetsVideo();
if (!pets) {
  console.error('train:default: the PETS09 video is missing; run scripts/fetch-pets-video.sh');
  process.exit(1);
}
const split = developmentSplit(pets);
const augmentList = arg('--augment')?.split(',').map((e) => e.split(':') as [string, Augmentation]);
const augmented = args.includes('--no-augment') ? [] : await augmentedTrainVideos(split, augmentList ?? DEFAULT_RECIPE.augment);
const dropped = arg('--drop')?.split(',') ?? DEFAULT_RECIPE.drop;
const validationOnly = arg('--val-only')?.split(',') ?? DEFAULT_RECIPE.validationOnly;
const candidates = [...split.trainVideos, ...augmented];
const known = candidates.map((v) => v.name);
for (const [flag, names] of [['--drop', dropped], ['--val-only', validationOnly]] as const) {
  for (const d of names) {
    if (!known.includes(d)) {
      console.error(`train:default: ${flag} ${d}: expected one of ${known.join(', ')}`);
      process.exit(1);
    }
  }
}
const started = performance.now();
const prep = createProgress('train:default: preparing caches', 'steps', 10_000);
const progress = createProgress('train:default', 'episodes', 10_000);
const { augment: _augment, drop: _drop, validationOnly: _validationOnly, ...recipe } = DEFAULT_RECIPE; // the video lists are applied above
const result = await trainPolicy({
  ...recipe,
  ...(arg('--episodes') ? { episodes: Number(arg('--episodes')) } : {}),
  ...(arg('--lambda-channel-range') ? { lambdaChannel: arg('--lambda-channel-range')!.split(',').map(Number) as unknown as [number, number] } : {}),
  ...(arg('--feature-version') ? { featureVersion: Number(arg('--feature-version')) as StateVersion } : {}),
  ...(arg('--seed') ? { seed: Number(arg('--seed')) } : {}),
  ...(arg('--restarts') ? { restarts: Number(arg('--restarts')) } : {}),
  ...(args.includes('--reward-heads') ? { rewardHeads: true } : {}),
  ...(args.includes('--conditioned-heads') ? { conditionedHeads: true } : {}),
  ...(args.includes('--no-conditioned-heads') ? { conditionedHeads: false } : {}),
  ...(arg('--channel-discount') ? { channelDiscount: Number(arg('--channel-discount')) } : {}),
  ...(args.includes('--balance-frames') ? { balanceFrames: true } : {}),
  ...(args.includes('--quality-floor') ? { qualityFloor: true } : {}),
  ...(args.includes('--no-quality-floor') ? { qualityFloor: false } : {}),
  ...(arg('--validate-every') ? { validateEvery: Number(arg('--validate-every')) } : {}),
  ...(arg('--relabel-share') ? { relabelShare: Number(arg('--relabel-share')) } : {}),
  ...(arg('--reward-baseline') ? { rewardBaseline: arg('--reward-baseline') === 'none' ? undefined : arg('--reward-baseline') } : {}),
  videos: candidates.filter((v) => !dropped.includes(v.name) && !validationOnly.includes(v.name)).map((v) => (args.includes('--oracle') ? { video: v.video } : v)),
  ...(validationOnly.length ? { valVideos: candidates.filter((v) => validationOnly.includes(v.name)) } : {}),
  traces: split.trainTraces,
  valTraces: split.valTraces,
  out: arg('--out') ?? 'policies/default.json',
  onPrepare: (d, n) => prep.update(d, n),
  onProgress: (p) => {
    prep.stop();
    progress.update(p.episode, p.episodes);
    if (p.valReturn !== undefined) console.error(`episode ${p.episode}: train return ${p.trainReturn.toFixed(2)}, validation ${p.valReturn.toFixed(2)} (best ${p.bestValReturn?.toFixed(2)}), ε ${p.epsilon.toFixed(2)}, loss ${p.loss.toFixed(4)}`);
  },
});
progress.stop();
const s = result.stats;
console.log(`train:default: ${s.episodes} episodes, ${s.steps} frames, ${s.updates} updates, wall ${((performance.now() - started) / 1000).toFixed(0)} s (rollouts ${(s.rolloutMs / 1000).toFixed(0)} s, updates ${(s.updateMs / 1000).toFixed(0)} s, validation ${(s.validationMs / 1000).toFixed(0)} s), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log(`best validation return ${s.bestValReturn?.toFixed(3)} after episode ${s.bestEpisode}; wrote ${result.policyFile}, ${result.plotFile}`);
process.exit(0);
