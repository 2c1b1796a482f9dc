import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCommands } from './commands/index.js';
import { CliUsageError } from './cli-error.js';

const packageJson = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'),
) as { version: string };

/** Builds the `edgetrack` program with every sub-command installed. */
export async function buildProgram(): Promise<Command> {
  const program = new Command('edgetrack')
    .description('Edge-assisted object tracking on video: on-device tracker + WebSocket edge detector + Katch-Up.')
    .version(packageJson.version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .exitOverride();
  for (const install of await loadCommands()) install(program);
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 on success, 1 on a runtime failure, 2 on a usage error
 * (unknown command, bad flag or flag value).
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
      if (err.code === 'commander.help') return 0;
      return 2;
    }
    // a bad flag value, or a configuration the edge refuses (token, model): fixed on the command line
    if (err instanceof CliUsageError || (err instanceof Error && err.name === 'EdgeConfigError')) {
      process.stderr.write(`edgetrack: ${err.message}\n`);
      return 2;
    }
    // the reader of stdout went away (`edgetrack detect … | head`): not an error of ours
    if (isBrokenPipe(err)) return 0;
    process.stderr.write(`edgetrack: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.EDGETRACK_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

/** True for the EPIPE of a closed stdout (a pipe whose reader exited). */
export function isBrokenPipe(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === 'EPIPE';
}

const isEntry = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry) {
  main(process.argv).then((code) => { process.exitCode = code; });
}
