import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { type RunFlags, addRunFlags, runOptionsFromFlags } from './run.js';

/** The sample clip committed in videos/ (PETS 2009 S2L1, first 300 frames). */
export const SAMPLE_CLIP = fileURLToPath(new URL('../../../videos/pets09-s2l1-300.mp4', import.meta.url));

/** Channel preset of the demo. */
export const DEMO_TRACE = 'wifi-erratic';

/**
 * `edgetrack demo` (= `npm start`): starts an in-process edge server on loopback with the default
 * model, runs the sample clip with the default policy over a built-in channel preset, writes the
 * outputs (tracks.txt, frames.jsonl, annotated.mp4, report.json) to ./out/demo and prints a summary.
 * Same flags as `run`, with the demo's defaults (channel, output folder, annotated.mp4 on).
 */
export function install(program: Command): void {
  addRunFlags(
    program
      .command('demo')
      .description(`the main job on embedded defaults: sample clip + in-process edge server (nanodet) + the learned policy over the ${DEMO_TRACE} preset → ./out/demo`)
      .argument('[input]', 'video to use instead of the sample clip', SAMPLE_CLIP),
    { out: 'out/demo', policy: 'learned', trace: DEMO_TRACE, annotate: true },
  ).action(async (input: string, flags: RunFlags) => {
    const options = await runOptionsFromFlags(input, { ...flags, trace: flags.trace ?? DEMO_TRACE });
    process.stderr.write(`edgetrack demo: ${input}\n  policy ${flags.policy}, channel ${options.trace}, edge ${flags.edge === 'local' ? `in-process (${flags.model ?? 'nanodet'})` : flags.edge}, outputs in ${flags.out}\n`);
    const { executeRun } = await import('../run-action.js');
    await executeRun('demo', options);
  });
}
