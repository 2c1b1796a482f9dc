/**
 * Development aid (needs ../shared and the PETS09 video): what policies decide, frame by frame, on one
 * case of the development split — the question behind most controller diagnoses ("why does it send
 * `medium` here?"). Runs each policy in the simulator (= `edgetrack run --clock replay`) and prints its
 * totals and one token per frame: `.` none, or the offload's quality initial and Katch-Up
 * (`l`/`m`/`h`/`f` + `off`/`s3`/`full`, other Katch-Up modes spelt out), then `|` where a detection answer was applied, and `0` where the
 * frame's recall is 0.
 *
 *   npx tsx scripts/controller-trace.ts <sequence name> <trace file substring> <policy spec>… [--lambda-channel X]
 *   npx tsx scripts/controller-trace.ts TUD-Stadtmitte 2010-09-30_1058 learned periodic:10,low,stride:3
 */
import { basename } from 'node:path';
import { formatKatchupMode } from '../src/core/index.js';
import { createPolicy } from '../src/controller/registry.js';
import { developmentSplit } from '../src/controller/training/default-recipe.js';
import { loadEnvVideo } from '../src/controller/training/env-video.js';
import { OffloadEnv } from '../src/controller/training/offload-env.js';
import { DEFAULT_REWARD_WEIGHTS } from '../src/controller/training/reward.js';
import { findPetsVideo } from '../src/video/index.js';

const argv = process.argv.slice(2);
const flagAt = argv.indexOf('--lambda-channel');
const tradeOff = { ...DEFAULT_REWARD_WEIGHTS, ...(flagAt >= 0 ? { lambdaChannel: Number(argv[flagAt + 1]) } : {}) };
const [name, traceSub, ...policies] = flagAt >= 0 ? [...argv.slice(0, flagAt), ...argv.slice(flagAt + 2)] : argv;
if (!name || !traceSub || policies.length === 0) {
  console.error('usage: controller-trace.ts <sequence name> <trace file substring> <policy spec>… [--lambda-channel X]');
  process.exit(2);
}
const pets = await findPetsVideo();
if (!pets) throw new Error('the PETS09 video is missing: run scripts/fetch-pets-video.sh');
const split = developmentSplit(pets);
const seq = [...split.trainVideos, ...split.testVideos].find((v) => v.name === name);
if (!seq) throw new Error(`sequence ${name}: expected one of ${[...split.trainVideos, ...split.testVideos].map((v) => v.name).join(', ')}`);
const traces = [...split.trainTraces, ...split.valTraces, ...split.testTraces];
const matching = traces.filter((t) => basename(t).includes(traceSub));
if (matching.length !== 1) throw new Error(`trace "${traceSub}": expected exactly one trace of the split whose name contains it, got ${matching.length ? matching.map((t) => basename(t)).join(', ') : 'none'}`);
const trace = matching[0];
const video = await loadEnvVideo(seq.video, { gt: seq.gt });
try {
  const env = await OffloadEnv.create({ video: seq.video, gt: seq.gt, trace, traceOffsetMs: 0, ...tradeOff }, video);
  const conditioned = (p: string) => p === 'learned' || p.startsWith('learned:') || p.startsWith('file:');
  const katchup: Record<string, string> = { off: 'off', 'stride:3': 's3', full: 'full' };
  for (const spec of policies) {
    const tokens: string[] = [];
    const t = env.runPolicy(createPolicy(spec, conditioned(spec) ? { tradeOff } : {}), (f) => {
      const d = f.decision;
      const what = d.kind === 'offload' ? `${d.quality.name[0]}${katchup[formatKatchupMode(d.katchup)] ?? formatKatchupMode(d.katchup)}` : '.';
      tokens.push(`${what}${f.row.applied.some((a) => a.status === 'ok') ? '|' : ''}${f.recall > 0 ? '' : '0'}`);
    });
    console.log(`${spec}: mAR ${t.mar.toFixed(3)}, reward/frame ${(t.reward / t.frames).toFixed(4)}, ${t.offloads} offloads, ${t.bytesSent} bytes`);
    console.log(tokens.map((x, i) => (i % 20 === 0 ? `\n  ${String(i).padStart(4)} ${x}` : ` ${x}`)).join(''));
  }
} finally {
  video.close();
}
process.exit(0);
