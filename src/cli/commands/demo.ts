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
 */
export function install(program: Command): void {
  addRunFlags(
    program
      .command('demo')
      .description(`the main job on embedded defaults: sample clip + in-process edge server (nanodet) + heuristic policy over the ${DEMO_TRACE} preset → ./out/demo`)
      .argument('[input]', 'video to use instead of the sample clip', SAMPLE_CLIP),
    { out: 'out/demo', policy: 'heuristic' },
  ).action(async (input: string, flags: RunFlags) => {
    const { runPipeline } = await import('../../pipeline/index.js');
    const { createProgress } = await import('../progress.js');
    const { printRunSummary } = await import('../run-summary-text.js');
    const { stopOnSignals } = await import('../stop-on-signals.js');
    process.stderr.write(`edgetrack demo: ${input}\n  policy ${flags.policy}, channel ${flags.trace ?? DEMO_TRACE}, edge in-process (${flags.model}), outputs in ${flags.out}\n`);
    const progress = createProgress('demo');
    const oracle = createProgress('oracle (detector on every frame, cached after the first run)');
    const stop = stopOnSignals('edgetrack demo', { stopping: 'stopping after the frames in flight and writing the outputs' });
    try {
      const report = await runPipeline({
        ...(await runOptionsFromFlags(input, { ...flags, annotate: true, trace: flags.trace ?? DEMO_TRACE })),
        signal: stop.signal,
        onProgress: (n, total) => progress.update(n, total),
        onOracleProgress: (n, total) => oracle.update(n, total),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      progress.stop();
      oracle.stop();
      printRunSummary(report);
      if (report.sourceError) throw new Error(`the source failed after ${report.frames} frames (outputs and report written for them): ${report.sourceError}`);
    } finally {
      stop.dispose();
      progress.stop();
      oracle.stop();
    }
  });
}
