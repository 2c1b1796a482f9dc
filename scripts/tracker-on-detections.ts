/**
 * Tracker variants on real detections (development aid, needs ../shared and the PETS09 video): fixed
 * offloading policies run in the simulator (the edge's cached NanoDet detections at each quality, the
 * recorded uplink traces, human ground truth) on every development video, once per variant of the
 * tracker options, and the mean mAR per video and policy is printed next to the first variant's.
 *
 * The tracking-value protocol (`tracking-value-quick.ts`) feeds the tracker exact ground-truth boxes;
 * a change that trusts the delivered boxes can gain there and lose with a real detector (docs/tracker.md,
 * "Detection motion"). Run this before keeping a tracker change.
 *
 *   npx tsx scripts/tracker-on-detections.ts [--traces N] [--policies 'periodic:10,low,stride:3;minimal'] '{}' '{"anchorMargin":0.3}' …
 *
 * Each JSON argument is a variant (overrides of TrackerOptions); the first is the baseline (default:
 * `{}`, the defaults, and one more variant is needed). `--traces N` (default 6) takes N of the
 * held-out test traces, evenly spread. Videos: the held-out and the training sequences of the controller's split.
 */
import { type PolicyCaseResult, type PolicyTestCase, evaluatePolicies } from '../src/controller/training/evaluate-policies.js';
import { developmentSplit } from '../src/controller/training/default-recipe.js';
import { DEFAULT_REWARD_WEIGHTS } from '../src/controller/training/reward.js';
import type { TrackerOptions } from '../src/tracker/index.js';
import { findPetsVideo } from '../src/video/pets-video.js';

const DEFAULT_POLICIES = ['periodic:3,medium,stride:3', 'periodic:10,medium,stride:3', 'periodic:10,low,stride:3', 'periodic:5,high,full', 'minimal'];

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const traceCount = Number(flag('--traces') ?? 6);
if (!Number.isInteger(traceCount) || traceCount < 1) throw new Error(`--traces: expected an integer ≥ 1, got ${flag('--traces')}`);
const policies = flag('--policies')?.split(';').map((p) => p.trim()).filter(Boolean) ?? DEFAULT_POLICIES;
const variants = process.argv.slice(2).filter((a) => a.startsWith('{')).map((a) => JSON.parse(a) as Partial<TrackerOptions>);
if (variants.length === 0) throw new Error('give at least one variant (JSON tracker options); the defaults `{}` are added first');
if (JSON.stringify(variants[0]) !== '{}') variants.unshift({});

const pets = await findPetsVideo();
if (!pets) throw new Error('the PETS09 video is missing: run scripts/fetch-pets-video.sh');
const split = developmentSplit(pets);
const step = split.testTraces.length / traceCount;
const traces = Array.from({ length: Math.min(traceCount, split.testTraces.length) }, (_, i) => split.testTraces[Math.floor(i * step)]);
const videos = [...split.testVideos, ...split.trainVideos];
const cases: PolicyTestCase[] = videos.flatMap((v) => traces.map((trace) => ({ video: v.video, gt: v.gt, trace, name: v.name })));

/** Mean mAR per policy and video name. */
function table(rows: readonly PolicyCaseResult[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const p of policies) {
    const byVideo = new Map<string, number>();
    for (const v of videos) {
      const mine = rows.filter((r) => r.policy === p && r.video === v.name);
      byVideo.set(v.name, mine.reduce((a, r) => a + r.mar, 0) / Math.max(1, mine.length));
    }
    out.set(p, byVideo);
  }
  return out;
}

const short = (name: string) => name.replace('DAVIS16-', '').slice(0, 11);
const cell = (x: number, base?: number) => (base === undefined ? x.toFixed(3) : `${x.toFixed(3)}${x - base >= 0 ? '+' : '−'}${Math.abs(x - base).toFixed(3)}`).padStart(base === undefined ? 7 : 13);
let baseline: Map<string, Map<string, number>> | undefined;
for (const variant of variants) {
  const t0 = performance.now();
  const rows = await evaluatePolicies({ cases, policies, tradeOff: DEFAULT_REWARD_WEIGHTS, tracker: variant });
  const t = table(rows);
  console.log(`\n=== ${JSON.stringify(variant)} (${cases.length} cases × ${policies.length} policies, ${((performance.now() - t0) / 1000).toFixed(0)} s)${baseline ? ' — mAR and change against {}' : ''}`);
  console.log(`${'policy'.padEnd(28)} ${videos.map((v) => short(v.name).padStart(baseline ? 13 : 7)).join(' ')} ${'mean'.padStart(baseline ? 13 : 7)}`);
  for (const p of policies) {
    const here = [...t.get(p)!.values()];
    const mean = here.reduce((a, b) => a + b, 0) / here.length;
    const before = baseline && [...baseline.get(p)!.values()];
    const beforeMean = before && before.reduce((a, b) => a + b, 0) / before.length;
    console.log(`${p.padEnd(28)} ${here.map((x, i) => cell(x, before?.[i])).join(' ')} ${cell(mean, beforeMean)}`);
  }
  baseline ??= t;
}
