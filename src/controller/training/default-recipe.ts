/**
 * The recipe of the policy shipped with edgetrack (`policies/default.json`, `npm run train:default`)
 * and its data split over the development data in `../shared/data` (docs/controller.md, "Data split").
 *
 * - Traces: the Pensieve-style traces sorted by file name; every 5th (index % 5 = 4) is **test**,
 *   every 10th of the rest (index % 10 = 1) is **validation** (model selection during training), the
 *   remaining ones are **training**. The mahimahi UMTS uplink trace is **test only**.
 * - Videos: the training sequences are PETS09-S2L1 (static camera, pedestrians) and the DAVIS16
 *   sequences blackswan, cows, breakdance, drift-chicane and drift-straight; **held out** for the test:
 *   TUD-Stadtmitte (pedestrians, 25 fps) and DAVIS16 dance-twirl and libby. The recipe below trains on
 *   some of the training sequences and augmented copies of them (augment.ts), validates on one more
 *   (`validationOnly`) and leaves two out (`drop`); nothing is derived from the held-out ones.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../core/index.js';
import type { TrainPolicyOptions, TrainVideo } from './train-policy.js';
import type { StateVersion } from '../feature-layouts.js';
import { type Augmentation, type AugmentedSequence, augmentSequence } from './augment.js';

/** Where the development data live, relative to the repository: `../shared/data`. */
export function sharedDataDir(): string {
  return process.env.EDGETRACK_SHARED_DATA ?? new URL('../../../../shared/data', import.meta.url).pathname;
}

/** Sequences used for training and held out (names under sequences/). */
export const TRAIN_SEQUENCES = Object.freeze(['PETS09-S2L1', 'DAVIS16-blackswan', 'DAVIS16-cows', 'DAVIS16-breakdance', 'DAVIS16-drift-chicane', 'DAVIS16-drift-straight']);
export const TEST_SEQUENCES = Object.freeze(['TUD-Stadtmitte', 'DAVIS16-dance-twirl', 'DAVIS16-libby']);

/** The split of the development data. */
export interface DevelopmentSplit {
  readonly trainVideos: readonly (TrainVideo & { name: string })[];
  readonly testVideos: readonly (TrainVideo & { name: string })[];
  readonly trainTraces: readonly string[];
  readonly valTraces: readonly string[];
  readonly testTraces: readonly string[];
}

/**
 * The split (see the module comment). `petsVideo` is the PETS09-S2L1 video (OpenCV's vtest.avi, not in
 * the shared folder: scripts/fetch-pets-video.sh). Throws naming what is missing.
 */
export function developmentSplit(petsVideo: string, dataDir = sharedDataDir()): DevelopmentSplit {
  const seq = (name: string): TrainVideo & { name: string } => {
    const dir = join(dataDir, 'sequences', name);
    const video = name === 'PETS09-S2L1' ? petsVideo : join(dir, 'video.mp4');
    const gt = join(dir, 'gt.txt');
    for (const f of [video, gt]) if (!existsSync(f)) throw new Error(`development split: ${f} is missing`);
    return { name, video, gt };
  };
  const pensieve = join(dataDir, 'traces', 'pensieve-train');
  if (!existsSync(pensieve)) throw new Error(`development split: ${pensieve} is missing`);
  const traces = readdirSync(pensieve).sort().map((n) => join(pensieve, n));
  const testTraces = traces.filter((_, i) => i % 5 === 4);
  const rest = traces.filter((_, i) => i % 5 !== 4);
  const valTraces = rest.filter((_, i) => i % 10 === 1);
  const trainTraces = rest.filter((_, i) => i % 10 !== 1);
  const mahimahi = join(dataDir, 'traces', 'mahimahi', 'TMobile-UMTS-driving.up');
  if (!existsSync(mahimahi)) throw new Error(`development split: ${mahimahi} is missing`);
  return {
    trainVideos: TRAIN_SEQUENCES.map(seq),
    testVideos: TEST_SEQUENCES.map(seq),
    trainTraces, valTraces, testTraces: [...testTraces, mahimahi],
  };
}

/** The training recipe of policies/default.json (everything but the data, which come from the split). */
export const DEFAULT_RECIPE = Object.freeze({
  /**
   * Augmented copies of training sequences added to the training videos (augment.ts): object sizes the
   * training videos lack, so the policy learns which quality still sees the objects from their size;
   * and lower frame rates of DAVIS clips, so that the frame rate stops naming the content (only
   * PETS09 is slow, and it has pedestrians).
   */
  augment: Object.freeze([
    ['DAVIS16-cows', 'zoom-out'], ['DAVIS16-blackswan', 'zoom-out'], ['PETS09-S2L1', 'zoom-in'],
    ['DAVIS16-cows', 'third-fps'], ['DAVIS16-blackswan', 'third-fps'], ['DAVIS16-cows', 'half-fps'], ['DAVIS16-blackswan', 'half-fps'],
  ] as const),
  /**
   * Training sequences or augmented copies left out of training (`--drop` replaces the list): on these
   * two no policy earns reward with this detector and tracker (breakdance: the detector misses the
   * dancer; drift-straight: the tracker loses the car), so they teach only "send less".
   */
  drop: Object.freeze(['DAVIS16-breakdance', 'DAVIS16-drift-straight']) as readonly string[],
  /**
   * Sequences or augmented copies seen only in validation, never trained on (`--val-only` replaces the
   * list). drift-chicane is a clip where `low` finds nothing and `medium` does, as on libby: choosing
   * the run that also does well there, unseen, picks the run that generalises (docs/controller.md).
   */
  validationOnly: Object.freeze(['DAVIS16-drift-chicane']) as readonly string[],
  episodes: 800,
  /** Independent runs (seeds 1, 2, 3); the one with the highest validation return is shipped. */
  restarts: 3,
  /** Feature layout of the policy's state (feature-layouts.ts). */
  featureVersion: 6 as StateVersion,
  /** One Q per reward part, combined with the λs at decision time (learn/heads.ts): the λ response by construction. */
  rewardHeads: true,
  /** The heads see the λs (learn/heads.ts `conditioned`). */
  conditionedHeads: false,
  /**
   * The uplink head's discount (train-policy.ts `channelDiscount`): 0, it predicts the bytes of the
   * decision's own offload, which the net learns almost exactly, so raising λc moves every decision
   * toward sending fewer bytes now (the long-horizon uplink head's errors were as large as the
   * differences between actions, and the λ sweep was not monotone).
   */
  channelDiscount: 0,
  /** Training videos balanced by frames, not episodes (train-policy.ts `balanceFrames`). */
  balanceFrames: false,
  /** Offloads below the quality floor masked, in training and at run time (quality-floor.ts). */
  qualityFloor: true,
  /** Rewards relative to this fixed policy on the same episode (train-policy.ts `rewardBaseline`). */
  rewardBaseline: 'periodic:5,medium,stride:3',
  demonstrations: 120,
  pretrainUpdates: 15_000,
  expertMargin: Object.freeze({ margin: 0.1, weight: 1 }),
  seed: 1,
  date: '2026-11-28',
  device: 'jetson-nano',
  model: 'nanodet',
  tradeOff: Object.freeze({ lambdaChannel: 0.01, lambdaEnergy: 0.002 }),
  lambdaChannel: Object.freeze([0.003, 0.03]) as readonly [number, number],
  lambdaEnergy: Object.freeze([0.0005, 0.02]) as readonly [number, number],
  validateEvery: 200,
  hyper: Object.freeze({
    hidden: Object.freeze([64, 64]) as readonly number[],
    lr: 5e-4,
    gamma: 0.97,
    batch: 64,
    bufferSize: 200_000,
    targetEvery: 1000,
    epsStart: 0.1,
    epsEnd: 0.01,
    epsDecayEpisodes: 500,
    updatesPerStep: 0.1,
    warmup: 5000,
    nStep: 3,
    episodesPerRound: 8,
    overlapRollouts: true,
  }),
});

/**
 * The recipe's augmented training sequences (built once into the cache with ffmpeg; see augment.ts). A
 * source is a training sequence or an augmented one listed before it (`PETS09-S2L1+zoom-in`).
 */
export async function augmentedTrainVideos(split: DevelopmentSplit, augment: readonly (readonly [string, Augmentation])[] = DEFAULT_RECIPE.augment): Promise<AugmentedSequence[]> {
  const out: AugmentedSequence[] = [];
  for (const [name, kind] of augment) {
    const source = [...split.trainVideos, ...out].find((v) => v.name === name);
    if (!source?.gt) throw new Error(`augmentation: ${name} is not a training sequence (or an earlier augmented one) with ground truth`);
    out.push(await augmentSequence({ name, video: source.video, gt: source.gt }, kind));
  }
  return out;
}

/** Recipes `edgetrack train --recipe NAME` starts from. */
export const RECIPE_NAMES = Object.freeze(['shipped'] as const);

/**
 * A named recipe as `trainPolicy` options for any data (`edgetrack train --recipe shipped`): the
 * shipped recipe's feature layout, reward heads, uplink discount, quality floor, reward baseline,
 * demonstrations, λ ranges, hyper-parameters, episodes and seed — everything but its lists of
 * development sequences (augment, drop, validationOnly) and its date. Its restarts need validation
 * traces to choose between runs, so without them one run is trained. Throws naming the known recipes.
 */
export function recipeTrainOptions(name: string, withValidation: boolean): Partial<TrainPolicyOptions> {
  if (!(RECIPE_NAMES as readonly string[]).includes(name)) throw new ValidationError(`recipe: expected one of ${RECIPE_NAMES.join(', ')}, got ${JSON.stringify(name)}`, { field: 'recipe' });
  const { augment: _augment, drop: _drop, validationOnly: _validationOnly, date: _date, restarts, ...rest } = DEFAULT_RECIPE;
  return { ...rest, restarts: withValidation ? restarts : 1 };
}
