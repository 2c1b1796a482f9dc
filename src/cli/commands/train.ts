import type { Command } from 'commander';
import { CliUsageError, parseIntFlag, parseNumberFlag } from '../cli-error.js';
import type { StateVersion } from '../../controller/feature-layouts.js';

interface TrainFlags {
  recipe?: string;
  videos: string;
  gt?: string;
  traces: string;
  valTraces?: string;
  device: string;
  model: string;
  lambdaChannel?: number;
  lambdaEnergy?: number;
  episodes: number;
  seed: number;
  init?: string;
  demonstrations: number;
  rewardBaseline?: string;
  augment?: string;
  relabelShare?: number;
  featureVersion?: number;
  restarts: number;
  rewardHeads?: boolean;
  channelDiscount?: number;
  qualityFloor?: boolean;
  tracker?: string;
  pretrainUpdates: number;
  validateEvery: number;
  workers?: number;
  maxFrames?: number;
  date?: string;
  out: string;
}

/** `edgetrack train`: trains a λ-conditioned offloading policy (double DQN) on videos × recorded traces. */
export function install(program: Command): void {
  program
    .command('train')
    .description('train an offloading policy on videos × recorded traces (replay simulator, double DQN): policy.json, policy.png, policy.curve.json')
    .option('--recipe <name>', 'start from a named recipe: "shipped" = the recipe of policies/default.json (feature layout 6, reward heads, uplink discount 0, quality floor, reward baseline, 120 demonstrations, λ ranges, hyper-parameters, 800 episodes; 3 restarts when --val-traces are given); flags given on the command line override it')
    .requiredOption('--videos <list>', 'comma-separated video files, or folders of MOT sequences (each with video.mp4, gt.txt, seqinfo.ini)')
    .option('--gt <list>', 'MOT ground truth per video file, in the same order (default: gt.txt beside a sequence\'s video, else the oracle)')
    .requiredOption('--traces <list>', 'training traces: comma-separated trace files, folders of traces, or presets')
    .option('--val-traces <list>', 'held-out traces for validation (keeps the best policy); default: none, the last policy is kept')
    .option('--device <profile>', 'device profile for energy', 'jetson-nano')
    .option('--model <model>', 'edge detector', 'nanodet')
    .option('--lambda-channel <x>', 'λc, mAR per Mbit/s of uplink, written into the policy as its default (training draws λc log-uniformly in 0.001–0.1)', parseNumberFlag(0))
    .option('--lambda-energy <y>', 'λe, mAR per W of device power (training draws λe in 0.0005–0.02)', parseNumberFlag(0))
    .option('--episodes <n>', 'training episodes', parseIntFlag(1), 400)
    .option('--seed <s>', 'random seed (same seed, data and options ⇒ the same policy file)', parseIntFlag(0), 1)
    .option('--init <policy.json>', 'fine-tune this policy (from edgetrack train) instead of starting afresh')
    .option('--demonstrations <n>', 'episodes of the fixed policies (periodic grid, heuristic, minimal) put in the replay buffer first', parseIntFlag(0), 0)
    .option('--pretrain-updates <n>', 'updates on the demonstrations before the first rollout', parseIntFlag(0), 0)
    .option('--reward-baseline <policy>', 'learn rewards relative to this fixed policy on the same episode (e.g. periodic:5,medium,stride:3): less variance, same best policy')
    .option('--augment <kinds>', 'also train on copies of every video: zoom-out / zoom-in (objects half / twice as large), half-fps / third-fps (every 2nd / 3rd frame), triple-fps (motion-interpolated to 3× the frame rate); made once with ffmpeg into the cache')
    .option('--relabel-share <x>', 'hindsight λ relabelling: this share (0–1) of every replay batch gets λc and λe drawn anew, the reward recomposed (default 0, off)', parseNumberFlag(0, 1))
    .option('--feature-version <v>', 'state feature layout 2, 3, 4, 5 or 6 (default 3, or the --init policy\'s; 4 = 3 without the frame rate; 5 = 4 + how well the last answer matched the tracks; 6 = 5 + the last answer\'s detection scores)', parseIntFlag(2, 6))
    .option('--reward-heads', 'one Q per reward part (recall, uplink, device power), combined with the λs at decision time')
    .option('--channel-discount <x>', 'with --reward-heads: the uplink head\'s discount in [0, 1) (default the agent\'s γ; 0 = the bytes of the decision\'s own offload, so raising λc moves each decision toward sending fewer bytes now)', parseNumberFlag(0, 1))
    .option('--quality-floor', 'mask offloads below the quality floor (raised after an answer that could start no track while nothing is tracked), in training and in the policy file')
    .option('--tracker <options>', 'tracker options (docs/tracker.md, "Options") as JSON or a JSON file, e.g. \'{"classFusion":true}\'; recorded in the metadata: run the policy with the same --tracker')
    .option('--restarts <n>', 'independent runs with seeds S, S+1, …; the one with the best validation return is kept (needs --val-traces)', parseIntFlag(1), 1)
    .option('--validate-every <k>', 'validate every k episodes', parseIntFlag(1), 50)
    .option('--workers <n>', 'rollout worker threads (default min(2, cores); 0 = main thread)', parseIntFlag(0))
    .option('--max-frames <n>', 'use only the first n frames of each video', parseIntFlag(1))
    .option('--date <YYYY-MM-DD>', 'date written into the policy metadata (default today; pin it to reproduce a file byte for byte)')
    .requiredOption('--out <policy.json>', 'policy file to write (the plot and curve go beside it)')
    .action(async (f: TrainFlags, cmd: Command) => {
      const { checkTrainInputs, trainPolicy } = await import('../../controller/training/train-policy.js');
      const { checkAugmentKinds, expandTrainVideos, withAugmentations } = await import('../../controller/training/train-inputs.js');
      const { expandTraces } = await import('../../pipeline/experiment.js');
      const { DEFAULT_REWARD_WEIGHTS } = await import('../../controller/training/reward.js');
      const { createProgress } = await import('../progress.js');
      const { stopOnSignals } = await import('../stop-on-signals.js');
      const { parseTrackerFlag } = await import('../tracker-flag.js');
      const { asUsageError } = await import('../check-inputs.js');
      const given = (flag: string) => cmd.getOptionValueSource(flag) === 'cli';
      let options;
      try {
        const listed = expandTrainVideos(split(f.videos), f.gt ? split(f.gt) : undefined);
        if (f.augment !== undefined) checkAugmentKinds(split(f.augment));
        options = {
          videos: listed,
          traces: expandTraces(split(f.traces), '--traces'),
          ...(f.valTraces ? { valTraces: expandTraces(split(f.valTraces), '--val-traces') } : {}),
          device: f.device, model: f.model, episodes: f.episodes, seed: f.seed, validateEvery: f.validateEvery, out: f.out,
          tradeOff: { lambdaChannel: f.lambdaChannel ?? DEFAULT_REWARD_WEIGHTS.lambdaChannel, lambdaEnergy: f.lambdaEnergy ?? DEFAULT_REWARD_WEIGHTS.lambdaEnergy },
          ...(f.init ? { init: f.init } : {}),
          ...(f.demonstrations || given('demonstrations') ? { demonstrations: f.demonstrations, pretrainUpdates: f.pretrainUpdates } : {}),
          ...(f.rewardBaseline ? { rewardBaseline: f.rewardBaseline } : {}),
          ...(f.restarts > 1 || given('restarts') ? { restarts: f.restarts } : {}),
          ...(f.rewardHeads ? { rewardHeads: true } : {}),
          ...(f.channelDiscount !== undefined ? { channelDiscount: f.channelDiscount } : {}),
          ...(f.qualityFloor ? { qualityFloor: true } : {}),
          ...(f.tracker !== undefined ? { tracker: await asUsageError('--tracker', () => parseTrackerFlag(f.tracker!)) } : {}),
          ...(f.relabelShare !== undefined ? { relabelShare: f.relabelShare } : {}),
          ...(f.featureVersion !== undefined ? { featureVersion: f.featureVersion as StateVersion } : {}),
          ...(f.workers !== undefined ? { workers: f.workers } : {}),
          ...(f.maxFrames ? { maxFrames: f.maxFrames } : {}),
          ...(f.date ? { date: f.date } : {}),
        };
        if (f.recipe !== undefined) options = { ...(await recipeOptions(f.recipe, Boolean(f.valTraces))), ...givenOnly(options, given) } as typeof options;
        await checkTrainInputs(options);
      } catch (e) {
        throw new CliUsageError((e as Error).message);
      }
      if (f.augment !== undefined) {
        process.stderr.write(`train: making the ${f.augment} copies of ${options.videos.length} video(s)\n`);
        options = { ...options, videos: await withAugmentations(options.videos, split(f.augment)) };
      }
      const prep = createProgress('train: preparing caches', 'detections', 5000);
      let progress: ReturnType<typeof createProgress> | undefined;
      const stop = stopOnSignals('edgetrack train', { stopping: 'stopping after the current round and writing the policy trained so far' });
      try {
        const result = await trainPolicy({
          ...options,
          signal: stop.signal,
          onPrepare: (done, total, what) => { if (what !== 'videos') prep.update(done, total); },
          onProgress: (p) => {
            if (!progress) {
              prep.stop();
              progress = createProgress('train', 'episodes', 5000);
            }
            progress.update(p.episode, p.episodes);
            if (!process.stderr.isTTY && p.valReturn !== undefined) {
              process.stderr.write(`train: episode ${p.episode}/${p.episodes}, mean return ${p.trainReturn.toFixed(2)}, validation ${p.valReturn.toFixed(2)} (best ${p.bestValReturn?.toFixed(2)})\n`);
            }
          },
        });
        progress?.stop();
        const s = result.stats;
        process.stdout.write(`trained ${s.episodes} episodes (${s.steps} frames, ${s.updates} updates) in ${(s.wallMs / 1000).toFixed(1)} s${s.stopped ? ' (stopped early)' : ''}\n`);
        if (s.bestValReturn !== undefined) process.stdout.write(`best validation return ${s.bestValReturn.toFixed(3)} after episode ${s.bestEpisode}\n`);
        process.stdout.write(`policy: ${result.policyFile}\ncurve:  ${result.curveFile}\nplot:   ${result.plotFile}\n`);
      } finally {
        stop.dispose();
        prep.stop();
        progress?.stop();
      }
    });
}

async function recipeOptions(name: string, withValidation: boolean) {
  const { recipeTrainOptions } = await import('../../controller/training/default-recipe.js');
  return recipeTrainOptions(name, withValidation);
}

/** Options whose flags have defaults, and those flags: with a recipe, such an option counts only when one of its flags was given. */
const DEFAULTED: readonly (readonly [string, readonly string[]])[] = [
  ['device', ['device']], ['model', ['model']], ['episodes', ['episodes']], ['seed', ['seed']], ['validateEvery', ['validateEvery']],
  ['tradeOff', ['lambdaChannel', 'lambdaEnergy']], ['demonstrations', ['demonstrations']], ['pretrainUpdates', ['pretrainUpdates']], ['restarts', ['restarts']],
];

/** `options` without the entries that only carry a flag's default (so that a recipe's value stands). */
function givenOnly<T extends object>(options: T, given: (flag: string) => boolean): Partial<T> {
  const defaulted = new Set(DEFAULTED.filter(([, flags]) => !flags.some(given)).map(([key]) => key));
  return Object.fromEntries(Object.entries(options).filter(([key]) => !defaulted.has(key))) as Partial<T>;
}

function split(list: string): string[] {
  return list.split(',').map((s) => s.trim()).filter(Boolean);
}
