/** What {@link stopOnSignals} returns. */
export interface SignalStop {
  /** Aborts on the first SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  /** Removes the handlers (the default behaviour of the signals comes back). Idempotent. */
  dispose(): void;
}

/** Options of {@link stopOnSignals}. */
export interface StopOnSignalsOptions {
  /** What the command does on the first signal, for the message (e.g. "finishing the frames in flight"). */
  readonly stopping: string;
  /** Where the two messages go (default: a line on stderr prefixed with the command). */
  readonly log?: (message: string) => void;
}

/**
 * Graceful stop for long commands: the first SIGINT (Ctrl-C) or SIGTERM aborts the returned signal
 * and says what happens next; a second one quits at once by re-raising the signal with its default
 * action, so the shell sees the usual status (130 for Ctrl-C, 143 for SIGTERM). Re-raising rather
 * than `process.exit()` skips the exit-time teardown, which aborts the process ("terminate called
 * after throwing an instance of 'Napi::Error'") while onnxruntime runs in a worker thread.
 */
export function stopOnSignals(command: string, options: StopOnSignalsOptions): SignalStop {
  const log = options.log ?? ((m: string) => process.stderr.write(`\n${command}: ${m}\n`));
  const controller = new AbortController();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    for (const s of signals) process.off(s, onSignal);
  };
  function onSignal(name: NodeJS.Signals): void {
    if (controller.signal.aborted) {
      log(`${name} again, quitting now`);
      dispose();
      process.kill(process.pid, name);
      return;
    }
    log(`${name}: ${options.stopping} (${name} again to quit at once)`);
    controller.abort(new Error(`stopped by ${name}`));
  }
  for (const s of signals) process.on(s, onSignal);
  return { signal: controller.signal, dispose };
}
