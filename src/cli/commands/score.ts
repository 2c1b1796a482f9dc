import type { Command } from 'commander';
import { CliUsageError } from '../cli-error.js';

interface ScoreFlags {
  gtClass?: string;
  classes?: string;
  ignorePredClass: boolean;
  json: boolean;
}

/**
 * `edgetrack score GT PRED`: scores any MOT tracker output (edgetrack's tracks.txt or another
 * tracker's MOTChallenge result) against a MOT gt.txt — mAR/AR50/precision/F1 and CLEAR-MOT, IDF1,
 * HOTA — as a table on stdout, or JSON with `--json`. No video, no model: runs in well under a second.
 */
export function install(program: Command): void {
  program
    .command('score')
    .description('score a MOT tracker output against a MOT gt.txt: mAR/AR50 and HOTA, MOTA, IDF1 (table or --json)')
    .argument('<gt>', 'MOT ground truth (gt.txt); a seqinfo.ini beside it may name the class (objectClass)')
    .argument('<pred>', 'MOT tracker output: edgetrack tracks.txt (class in column 8) or any MOTChallenge result file')
    .option('--gt-class <name>', 'class of the gt.txt boxes (default: objectClass of seqinfo.ini beside gt.txt, else MOT class ids in column 8, else person)')
    .option('--classes <list>', 'score only these COCO classes, names or ids (e.g. person,car)')
    .option('--ignore-pred-class', 'ignore column 8 of the predictions: every box counts as the scored class', false)
    .option('--json', 'print the scores as JSON', false)
    .action(async (gt: string, pred: string, f: ScoreFlags) => {
      const { existsSync } = await import('node:fs');
      const { checkClassFlags } = await import('../check-inputs.js');
      for (const [what, path] of [['gt', gt], ['pred', pred]] as const) {
        if (!existsSync(path)) throw new CliUsageError(`${what}: no such file ${path}`);
      }
      const classes = await checkClassFlags(f.classes, f.gtClass);
      const { scoreMotFiles, renderScoreText } = await import('../../eval/index.js');
      const { summary } = scoreMotFiles(gt, pred, { gtClass: f.gtClass, classes, ignorePredClass: f.ignorePredClass });
      if (f.json) {
        process.stdout.write(`${JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
      } else {
        process.stdout.write(renderScoreText(summary));
      }
      for (const w of summary.warnings) process.stderr.write(`edgetrack score: WARNING: ${w}\n`);
      if (summary.warnings.length && !f.ignorePredClass) {
        process.stderr.write('edgetrack score: if column 8 of the predictions is not a 0-based COCO class (e.g. MOT class ids), pass --ignore-pred-class\n');
      }
    });
}
