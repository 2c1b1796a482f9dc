import type { RunOptions } from '../pipeline/run-options.js';

/**
 * What `run` and `demo` do once their flags are checked: the pipeline with a progress bar (frames,
 * then the oracle's frames when it is computed), a graceful Ctrl-C, the summary on stdout, and the
 * exit status. Throws (exit 1) when the source failed mid-run or when offloads were sent and none
 * was answered; the outputs and report.json are written first in both cases.
 */
export async function executeRun(command: 'run' | 'demo', options: RunOptions): Promise<void> {
  const { runPipeline } = await import('../pipeline/index.js');
  const { createProgress } = await import('./progress.js');
  const { printRunSummary } = await import('./run-summary-text.js');
  const { stopOnSignals } = await import('./stop-on-signals.js');
  const { failIfNothingAnswered } = await import('./commands/run.js');
  const progress = createProgress(command);
  let oracle: ReturnType<typeof createProgress> | undefined;
  const stop = stopOnSignals(`edgetrack ${command}`, { stopping: 'stopping after the frames in flight and writing the outputs' });
  try {
    const report = await runPipeline({
      ...options,
      signal: stop.signal,
      onProgress: (n, total) => progress.update(n, total),
      onOracleProgress: (n, total) => {
        if (!oracle) {
          progress.stop(); // every frame is done: the oracle comes after the run
          oracle = createProgress('oracle');
        }
        oracle.update(n, total);
      },
      log: (line) => (oracle ?? progress).log(line),
    });
    progress.stop();
    oracle?.stop();
    printRunSummary(report);
    if (report.sourceError) throw new Error(`the source failed after ${report.frames} frames (outputs and report written for them): ${report.sourceError}`);
    failIfNothingAnswered(report);
  } finally {
    stop.dispose();
    progress.stop();
    oracle?.stop();
  }
}
