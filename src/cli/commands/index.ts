import type { Command } from 'commander';

/** A CLI sub-command: adds itself to the program. One file per command under `src/cli/commands/`. */
export type CommandInstaller = (program: Command) => void;

/**
 * Every sub-command, in the order `--help` lists them. Each installer lives in its own file and is
 * imported lazily inside its action, so `edgetrack --help` stays fast.
 */
export async function loadCommands(): Promise<CommandInstaller[]> {
  const modules: { install: CommandInstaller }[] = await Promise.all([
    // one line per command file, e.g. import('./probe.js'),
    import('./probe.js'),
    import('./detect.js'),
    import('./models.js'),
    import('./edge.js'),
    import('./run.js'),
    import('./eval.js'),
    import('./score.js'),
    import('./demo.js'),
    import('./train.js'),
  ]);
  return modules.map((m) => m.install);
}
