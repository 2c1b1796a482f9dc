/**
 * `npm run videos:synthetic -- --out DIR [--scenario NAME ...] [--frames N] [--width W] [--height H]
 * [--fps F] [--seed S] [--crf C]`: writes `DIR/<scenario>.mp4` and `DIR/<scenario>.gt.txt` (MOT
 * ground truth, 1-based frames) for each scenario (default: translate, scale, cross).
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { fileURLToPath } from 'node:url';
import { parseIntFlag, parseNumberFlag } from '../../cli/cli-error.js';
import { SCENARIOS, type Scenario } from './scene.js';
import { writeSyntheticClip } from './write-clip.js';

function parseScenario(value: string, previous: Scenario[] | undefined): Scenario[] {
  if (!(SCENARIOS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${SCENARIOS.join(', ')}`);
  }
  return [...(previous ?? []), value as Scenario];
}

/**
 * Runs the generator; returns the exit code (0 ok, 1 failure, 2 usage error). Usage errors go to
 * `writeErr` (default stderr), e.g. a test's buffer.
 */
export async function runSyntheticCli(argv: readonly string[], writeErr: (text: string) => void = (t) => process.stderr.write(t)): Promise<number> {
  const program = new Command('videos:synthetic')
    .description('Render synthetic clips with exact MOT ground truth (textured objects moving, scaling, crossing).')
    .requiredOption('--out <dir>', 'output folder')
    .option('--scenario <name>', `scenario, repeatable (${SCENARIOS.join('|')}); default translate, scale, cross`, parseScenario)
    .option('--frames <n>', 'frames per clip', parseIntFlag(1), 60)
    .option('--width <px>', 'frame width', parseIntFlag(16), 320)
    .option('--height <px>', 'frame height', parseIntFlag(16), 240)
    .option('--fps <n>', 'frames per second', parseNumberFlag(0.001, 1000), 30)
    .option('--seed <n>', 'random seed', parseIntFlag(0), 1)
    .option('--crf <n>', 'x264 CRF (0 = lossless)', parseIntFlag(0), 18)
    .configureOutput({ writeErr })
    .exitOverride();
  try {
    program.parse(argv as string[], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const o = program.opts<{ out: string; scenario?: Scenario[]; frames: number; width: number; height: number; fps: number; seed: number; crf: number }>();
  const scenarios = o.scenario ?? (['translate', 'scale', 'cross'] as Scenario[]);
  try {
    for (const scenario of scenarios) {
      const clip = await writeSyntheticClip(scenario, o.out, {
        frames: o.frames, width: o.width, height: o.height, fps: o.fps, seed: o.seed, crf: o.crf,
      });
      process.stdout.write(`${clip.video} (${clip.frames} frames ${clip.width}x${clip.height} @ ${clip.fps} fps), ${clip.groundTruth}\n`);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`videos:synthetic: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runSyntheticCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
