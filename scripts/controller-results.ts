/**
 * `npm run results:controller`: the learned policy against every fixed policy on the held-out data
 * (docs/controller-results.md, with plots and JSON beside it). Needs ../shared and the PETS video
 * (scripts/fetch-pets-video.sh). Options: --policy SPEC (default learned), --quick (5 test traces),
 * --verify N (re-run N held-out cases with the real replay pipeline, default 3), --out DIR (default docs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { createProgress } from '../src/cli/progress.js';
import { createPolicy } from '../src/controller/registry.js';
import { developmentSplit } from '../src/controller/training/default-recipe.js';
import { type PolicyCaseResult, type PolicyTestCase, evaluatePolicies, meanByPolicy } from '../src/controller/training/evaluate-policies.js';
import { DEFAULT_REWARD_WEIGHTS } from '../src/controller/training/reward.js';
import { writeVegaLitePlot } from '../src/eval/report/render-plot.js';
import { runPipeline } from '../src/pipeline/index.js';
import { findPetsVideo } from '../src/video/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const learned = flag('--policy', 'learned');
const quick = args.includes('--quick');
const verifyCases = Number(flag('--verify', '3'));
const outDir = flag('--out', 'docs');
const tradeOff = DEFAULT_REWARD_WEIGHTS;

const pets = await findPetsVideo();
if (!pets) throw new Error('the PETS09 video is missing: run scripts/fetch-pets-video.sh');
const split = developmentSplit(pets);
const traces = quick ? [...split.testTraces.slice(0, 4), split.testTraces.at(-1)!] : split.testTraces;
const cases: PolicyTestCase[] = split.testVideos.flatMap((v) => traces.map((trace) => ({ video: v.video, gt: v.gt, trace, name: v.name })));

const grid: string[] = [];
for (const n of [3, 5, 10, 20]) for (const q of ['low', 'medium', 'high']) for (const k of ['off', 'stride:3', 'full']) grid.push(`periodic:${n},${q},${k}`);
const baselines = ['never', 'full', 'minimal', 'heuristic'];
const policies = [learned, ...baselines, ...grid];
// not in the issue's grid: the low-quality schedules with the quality floor (docs/controller.md, "Quality floor"), for reference
const floored: string[] = [];
for (const n of [3, 5, 10, 20]) for (const k of ['off', 'stride:3', 'full']) floored.push(`periodic:${n},low,${k},floor=on`);

const started = performance.now();
const progress = createProgress('results: simulated episodes', 'episodes', 10_000);
const allRows = await evaluatePolicies({ cases, policies: [...policies, ...floored], tradeOff, onProgress: (d, n) => progress.update(d, n) });
progress.stop();
const rows = allRows.filter((r) => !floored.includes(r.policy));
const means = meanByPolicy(rows);
const flooredMeans = meanByPolicy(allRows.filter((r) => floored.includes(r.policy))).sort((a, b) => b.meanReward - a.meanReward);
const full = means.find((m) => m.policy === 'full')!;
const minimal = means.find((m) => m.policy === 'minimal')!;
const me = means.find((m) => m.policy === learned)!;
const fixed = means.filter((m) => m.policy !== learned);
const bestFixedReward = fixed.reduce((a, b) => (b.meanReward > a.meanReward ? b : a));
const maxMar = Math.max(...means.map((m) => m.mar));
const cheap = fixed.filter((m) => m.bytesSent <= 0.4 * full.bytesSent);
const bestCheapMar = Math.max(...cheap.map((m) => m.mar));
const checks = [
  { check: `highest mean reward of all ${policies.length} policies`, ok: me.meanReward > bestFixedReward.meanReward, detail: `${me.meanReward.toFixed(4)} vs best fixed ${bestFixedReward.policy} ${bestFixedReward.meanReward.toFixed(4)}` },
  { check: '≤ 40 % of full\'s bytes', ok: me.bytesSent <= 0.4 * full.bytesSent, detail: `${(100 * me.bytesSent / full.bytesSent).toFixed(1)} %` },
  { check: 'mAR above every policy sending ≤ 40 % of full\'s bytes', ok: me.mar > bestCheapMar, detail: `${me.mar.toFixed(4)} vs ${bestCheapMar.toFixed(4)} (${cheap.find((m) => m.mar === bestCheapMar)?.policy})` },
  { check: 'mAR within 0.01 of the highest mAR of any policy', ok: me.mar >= maxMar - 0.01, detail: `${me.mar.toFixed(4)} vs ${maxMar.toFixed(4)} (${means.find((m) => m.mar === maxMar)?.policy})` },
  { check: 'mAR ≥ 1.5 × minimal\'s', ok: me.mar >= 1.5 * minimal.mar, detail: `${(me.mar / minimal.mar).toFixed(2)} ×` },
];

// per case: the best fixed policy in hindsight (upper reference)
const perCase = cases.map((c) => {
  const here = rows.filter((r) => r.video === c.name && r.trace === c.trace);
  const mine = here.find((r) => r.policy === learned)!;
  const best = here.filter((r) => r.policy !== learned).reduce((a, b) => (b.meanReward > a.meanReward ? b : a));
  return { video: c.name!, trace: basename(c.trace), learned: mine, bestFixed: best };
});

// λ sweep on the held-out cases, inside the λc range the policy was trained on (its metadata)
const trainedRange = trainedLambdaChannelRange(learned);
const sweep = [0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2].filter((x) => !trainedRange || (x >= trainedRange[0] && x <= trainedRange[1]));
const sweepRows: { lambdaChannel: number; mar: number; bytesSent: number; uplinkMbps: number; meanReward: number }[] = [];
for (const lambdaChannel of sweep) {
  const r = await evaluatePolicies({ cases, policies: [learned], tradeOff: { ...tradeOff, lambdaChannel } });
  const m = meanByPolicy(r)[0];
  sweepRows.push({ lambdaChannel, mar: m.mar, bytesSent: m.bytesSent, uplinkMbps: m.uplinkMbps, meanReward: m.meanReward });
}

const monotone = sweepRows.every((r, i) => i === 0 || r.bytesSent <= sweepRows[i - 1].bytesSent);
checks.push({ check: `λ sweep: bytes fall as λc rises (${sweepRows.length} values in the trained range)`, ok: monotone, detail: sweepRows.map((r) => `${r.lambdaChannel}: ${(100 * r.bytesSent / full.bytesSent).toFixed(1)} %`).join(', ') });

// the real replay pipeline on a few held-out cases: same numbers as the simulator
const verify: { video: string; trace: string; policy: string; simMar: number; realMar: number; simBytes: number; realBytes: number }[] = [];
for (const c of cases.filter((_, i) => i % Math.max(1, Math.floor(cases.length / Math.max(verifyCases, 1))) === 0).slice(0, verifyCases)) {
  for (const p of [learned, bestFixedReward.policy]) {
    const sim = rows.find((r) => r.video === c.name && r.trace === c.trace && r.policy === p)!;
    const real = await runPipeline({
      input: c.video, gt: c.gt, policy: p, trace: c.trace, clock: 'replay', outDir: join('out', 'controller-results', 'verify'),
      ...(p === learned ? { tradeOff } : {}),
    });
    verify.push({ video: c.name!, trace: basename(c.trace), policy: p, simMar: sim.mar, realMar: real.mar, simBytes: sim.bytesSent, realBytes: real.bytesSent });
  }
}

mkdirSync(outDir, { recursive: true });
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const fmt = (x: number, d = 3) => x.toFixed(d);
const sorted = [...means].sort((a, b) => b.meanReward - a.meanReward);
/** A row of the policy tables (the learned policy in bold). */
function policyRow(m: (typeof means)[number]): string {
  return `| ${m.policy === learned ? `**${m.policy}**` : m.policy} | ${fmt(m.meanReward, 4)} | ${fmt(m.mar)} | ${pct(m.bytesSent / full.bytesSent)} | ${fmt(m.uplinkMbps, 3)} | ${fmt(m.deviceEnergyJ, 1)} |`;
}

const md = [
  '# Controller results: the learned policy on held-out data',
  '',
  `Written by \`npm run results:controller${quick ? ' -- --quick' : ''}\`; do not edit by hand. ${new Date().toISOString().slice(0, 10)}, ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  '',
  `Held-out videos: ${split.testVideos.map((v) => v.name).join(', ')}. Held-out traces: ${traces.length} (${traces.length - 1} Pensieve-style test traces + mahimahi UMTS uplink). `
    + `${cases.length} cases; every policy runs every case in the simulator (identical to \`edgetrack run --clock replay\`: see the fidelity table in docs/controller.md), `
    + `jetson-nano device, NanoDet edge, trade-off λc = ${tradeOff.lambdaChannel} (mAR per Mbit/s), λe = ${tradeOff.lambdaEnergy} (mAR per W).`,
  '',
  '## Acceptance',
  '',
  '| check | holds | numbers |',
  '| --- | --- | --- |',
  ...checks.map((c) => `| ${c.check} | ${c.ok ? 'yes' : '**no**'} | ${c.detail} |`),
  '',
  '## Every policy, mean over the held-out cases (sorted by mean reward)',
  '',
  '| policy | mean reward / frame | mAR | bytes (% of full) | uplink Mbit/s | device J |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...sorted.map(policyRow),
  '',
  '## For reference: fixed low-quality schedules with the quality floor (not in the issue\'s grid)',
  '',
  `The learned policy ${me.meanReward > flooredMeans[0].meanReward ? 'scores above' : '**scores below**'} the best of them (${flooredMeans[0].policy}: ${fmt(flooredMeans[0].meanReward, 4)}).`,
  '',
  '| policy | mean reward / frame | mAR | bytes (% of full) | uplink Mbit/s | device J |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...flooredMeans.map(policyRow),
  '',
  '## Per case: the learned policy and the best fixed policy in hindsight for that case (upper reference)',
  '',
  '| video | trace | learned reward | learned mAR | learned bytes | best fixed (hindsight) | its reward | its mAR | its bytes |',
  '| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
  ...perCase.map((c) => `| ${c.video} | ${c.trace.slice(0, 40)} | ${fmt(c.learned.meanReward, 4)} | ${fmt(c.learned.mar)} | ${c.learned.bytesSent} | ${c.bestFixed.policy} | ${fmt(c.bestFixed.meanReward, 4)} | ${fmt(c.bestFixed.mar)} | ${c.bestFixed.bytesSent} |`),
  '',
  '## λ sweep (λe fixed): one policy file, the trade-off moved at run time',
  '',
  '| λc | mAR | bytes (% of full) | uplink Mbit/s | mean reward |',
  '| ---: | ---: | ---: | ---: | ---: |',
  ...sweepRows.map((s) => `| ${s.lambdaChannel} | ${fmt(s.mar)} | ${pct(s.bytesSent / full.bytesSent)} | ${fmt(s.uplinkMbps)} | ${fmt(s.meanReward, 4)} |`),
  '',
  '![mAR vs channel of every policy](controller-pareto.png)',
  '',
  '![λ sweep](controller-lambda-sweep.png)',
  '',
  '## Check with the real replay pipeline',
  '',
  '| video | trace | policy | mAR sim | mAR replay | bytes sim | bytes replay |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: |',
  ...verify.map((v) => `| ${v.video} | ${v.trace.slice(0, 40)} | ${v.policy} | ${fmt(v.simMar, 4)} | ${fmt(v.realMar, 4)} | ${v.simBytes} | ${v.realBytes} |`),
  '',
].join('\n');
writeFileSync(join(outDir, 'controller-results.md'), md);
writeFileSync(join(outDir, 'controller-results.json'), `${JSON.stringify({ tradeOff, checks, means, flooredMeans, perCase, sweep: sweepRows, verify, rows }, null, 1)}\n`);

/** The λc range a learned policy file says it was trained on (undefined when it does not say). */
function trainedLambdaChannelRange(spec: string): [number, number] | undefined {
  const policy = createPolicy(spec, { tradeOff });
  const r = (policy as { metadata?: Record<string, unknown> }).metadata?.lambdaChannelRange;
  return Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'number') ? [r[0], r[1]] : undefined;
}

const paretoSpec = (font: string): TopLevelSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  width: 520, height: 340, config: { font },
  title: 'held-out cases: mean mAR vs mean channel (fraction of full\'s bytes)',
  data: { values: means.map((m) => ({ policy: m.policy, kind: m.policy === learned ? 'learned' : baselines.includes(m.policy) ? 'baseline' : 'periodic grid', channel: m.bytesSent / full.bytesSent, mar: m.mar })) },
  mark: { type: 'point', filled: true, size: 90 },
  encoding: {
    x: { field: 'channel', type: 'quantitative', scale: { type: 'log' }, title: 'channel (fraction of full\'s bytes, log)' },
    y: { field: 'mar', type: 'quantitative', title: 'mean mAR' },
    color: { field: 'kind', type: 'nominal', title: null },
    shape: { field: 'kind', type: 'nominal', title: null },
    tooltip: [{ field: 'policy' }],
  },
} as TopLevelSpec);
await writeVegaLitePlot(paretoSpec, join(outDir, 'controller-pareto'));
const sweepSpec = (font: string): TopLevelSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  config: { font },
  title: 'learned policy, λc moved at run time (held-out cases)',
  data: { values: sweepRows },
  hconcat: [
    { width: 260, height: 220, mark: { type: 'line', point: true }, encoding: { x: { field: 'lambdaChannel', type: 'quantitative', scale: { type: 'log' }, title: 'λc (mAR per Mbit/s)' }, y: { field: 'uplinkMbps', type: 'quantitative', title: 'mean uplink (Mbit/s)' } } },
    { width: 260, height: 220, mark: { type: 'line', point: true, color: '#e45756' }, encoding: { x: { field: 'lambdaChannel', type: 'quantitative', scale: { type: 'log' }, title: 'λc (mAR per Mbit/s)' }, y: { field: 'mar', type: 'quantitative', title: 'mean mAR', scale: { zero: false } } } },
  ],
} as TopLevelSpec);
await writeVegaLitePlot(sweepSpec, join(outDir, 'controller-lambda-sweep'));
for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}`);
console.log(`wrote ${join(outDir, 'controller-results.md')}`);
process.exit(0);
