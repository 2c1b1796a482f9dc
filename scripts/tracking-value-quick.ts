/**
 * Quick tracking-value sweep (development aid, needs ../shared): the protocol of
 * test/tracker/tracking-value.slow.test.ts (ground truth fed every N frames, D frames late; COCO mAR
 * over every frame, lost tracks included) but replayed through {@link MotionReplayTracker} from cached
 * frame-pair motions, so that track-logic options sweep in seconds. The motions are cached per flow
 * option set (MOTION_OPTION_KEYS of motion-cache.ts) under
 * $EDGETRACK_CACHE_DIR/motions (default ~/.cache/edgetrack/motions).
 *
 *   npx tsx scripts/tracking-value-quick.ts [--pets] [--seqs a,b] [--noise σ | --detector Q [--model M]] '{"anchorMargin":0.05}' …
 *
 * `--noise σ` delivers the ground truth with detector-like errors (centre ± σ of the box's width and
 * height, ln size ± σ; Gaussian, deterministic per frame and object, the same boxes for tracking and
 * hold): methods that trust the delivered boxes' exactness show it there.
 *
 * `--detector low|medium|high` delivers a real detector's boxes instead: the edge's detections of each
 * frame offloaded at that quality (the simulator's offload cache, computed on first use through the
 * real encode → WebSocket → ONNX path), with their classes and scores; `--model` names the detector
 * (default nanodet). Hold then shows every delivered detection, whatever its score, so a cell below
 * hold can also mean the tracker left out weak detections (minNewTrackScore).
 *
 * Each JSON argument is one variant (overrides of TrackerOptions); none = the defaults. Prints, per
 * variant, the per-sequence N5 D0 / N5 D5 / N10 D5 / N10 D15 (`full`), the development means (without
 * PETS09), and every configuration (Katch-Up stride:3 or full) where tracking < hold − 0.01.
 */
import { type Detection, type KatchupMode, type Track, formatKatchupMode, makeBox, makeDetection, mulberry32 } from '../src/core/index.js';
import { loadOffloadCache } from '../src/controller/training/offload-cache.js';
import { scaleDetectionsToFrame } from '../src/pipeline/scale-detections.js';
import { gaussian } from '../src/controller/learn/mlp-net.js';
import { deriveSeed } from '../src/controller/learn/seeds.js';
import { MotionReplayTracker } from '../src/controller/training/sim-tracker.js';
import { type MotionCache, loadMotionCache } from '../src/controller/training/motion-cache.js';
import { type GroundTruth, type ScoredBox, evaluateDetections, tracksToPredictions } from '../src/eval/index.js';
import type { TrackerOptions } from '../src/tracker/index.js';
import { devSequences } from '../test/tracker/dev-sequences.js';

interface Config {
  readonly period: number;
  readonly delay: number;
  readonly mode: KatchupMode;
}

const HEAD = [[5, 0], [5, 5], [10, 5], [10, 15]] as const;

function grid(pets: boolean): Config[] {
  const modes: KatchupMode[] = [{ kind: 'off' }, { kind: 'stride', stride: 3 }, { kind: 'full' }];
  const pairs = pets ? [[5, 5], [5, 15], [10, 5], [10, 15], [20, 5], [20, 15]] : [[5, 5], [10, 5], [10, 15]];
  const zero = pets ? [5, 10, 20] : [5];
  const out: Config[] = zero.map((period) => ({ period, delay: 0, mode: { kind: 'full' } }));
  for (const [period, delay] of pairs) for (const mode of modes) out.push({ period, delay, mode });
  return out;
}

interface Row extends Config {
  readonly mar: number;
  readonly hold: number;
}

/** What the tracker is given at frame k. */
type Source = (k: number) => readonly Detection[];

function replay(cache: MotionCache, dets: Source, cfg: Config, options: Partial<TrackerOptions>): Map<number, readonly Track[]> {
  const tracker = new MotionReplayTracker(cache, options);
  const out = new Map<number, readonly Track[]>();
  for (let t = 0; t < cache.frames; t++) {
    let tracks = tracker.update({ index: t } as never);
    const k = t - cfg.delay;
    if (k >= 0 && k % cfg.period === 0) tracks = tracker.correct(k, dets(k), cfg.mode).tracks;
    out.set(t, tracks);
  }
  tracker.close();
  return out;
}

/** `--noise σ`: delivered boxes get Gaussian errors (centre σ·w, σ·h; ln size σ), the same ones for tracking and hold. */
const NOISE = Number(flagValue('--noise') ?? 0);

/** `--detector low|medium|high`: the edge's cached detections of each frame at that quality replace the ground truth. */
const DETECTOR = flagValue('--detector');
/** `--model M` (with `--detector`): whose detections, any model `edgetrack models` lists (default nanodet). */
const MODEL = flagValue('--model') ?? 'nanodet';

function flagValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The ground truth of frame k as delivered to the tracker: exact, or with `--noise`. */
function delivered(gt: GroundTruth, k: number): Detection[] {
  return (gt.get(k) ?? []).map((g) => {
    if (!NOISE) return makeDetection(g.box, 1, g.classId);
    const rng = mulberry32(deriveSeed(k, g.id ?? 0)); // the same errors for this frame and object on every call
    const w = g.box.x2 - g.box.x1;
    const h = g.box.y2 - g.box.y1;
    const cx = (g.box.x1 + g.box.x2) / 2 + gaussian(rng) * NOISE * w;
    const cy = (g.box.y1 + g.box.y2) / 2 + gaussian(rng) * NOISE * h;
    const nw = w * Math.exp(gaussian(rng) * NOISE);
    const nh = h * Math.exp(gaussian(rng) * NOISE);
    return makeDetection(makeBox(cx - nw / 2, cy - nh / 2, cx + nw / 2, cy + nh / 2), 1, g.classId);
  });
}

/** The delivered detections of a sequence: the ground truth (`delivered`) or, with `--detector`, the detector's. */
async function sourceOf(video: string, gt: GroundTruth): Promise<Source> {
  if (!DETECTOR) return (k) => delivered(gt, k);
  const offloads = await loadOffloadCache(video, { model: MODEL, onProgress: (d, t, w) => { if (d % 100 === 0) console.error(`detecting ${w}: ${d}/${t}`); } });
  const rows = offloads.byQuality[DETECTOR];
  if (!rows) throw new Error(`--detector: expected one of ${Object.keys(offloads.byQuality).join(', ')}, got ${DETECTOR}`);
  const memo = new Map<number, Detection[]>();
  return (k) => {
    let d = memo.get(k);
    if (!d) {
      const r = rows[k];
      d = r ? scaleDetectionsToFrame(r.detections, r, offloads) : [];
      memo.set(k, d);
    }
    return d;
  };
}

function holdOutput(dets: Source, frames: number, cfg: Config): Map<number, ScoredBox[]> {
  const hold = new Map<number, ScoredBox[]>();
  for (let t = 0; t < frames; t++) {
    const k = t - cfg.delay;
    const last = k < 0 ? -1 : k - (k % cfg.period);
    hold.set(t, last < 0 ? [] : dets(last).map((g) => ({ box: g.box, score: g.score, classId: g.classId })));
  }
  return hold;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (DETECTOR && NOISE) throw new Error('--noise and --detector: give one of them (noise perturbs the ground truth, --detector replaces it)');
  const pets = args.includes('--pets');
  const si = args.indexOf('--seqs');
  const only = si >= 0 ? args[si + 1].split(',') : undefined;
  const variants: Partial<TrackerOptions>[] = args.filter((a, i) => a.startsWith('{') && !['--seqs', '--noise', '--detector', '--model'].includes(args[i - 1] ?? '')).map((a) => JSON.parse(a) as Partial<TrackerOptions>);
  if (variants.length === 0) variants.push({});
  const seqs = (await devSequences(only)).filter((s) => pets || s.name !== 'PETS09-S2L1');
  const configs = grid(pets);
  const holdCache = new Map<string, number>();
  for (const v of variants) {
    const t0 = performance.now();
    const results: { name: string; rows: Row[] }[] = [];
    for (const s of seqs) {
      const cache = await loadMotionCache(s.video, { tracker: v });
      const classes = [...new Set([...s.gt.values()].flatMap((l) => l.map((g) => g.classId)))].sort((a, b) => a - b);
      const opts = { frames: cache.frames, classes };
      const dets = await sourceOf(s.video, s.gt);
      const rows: Row[] = [];
      for (const cfg of configs) {
        const out = replay(cache, dets, cfg, v);
        const mar = evaluateDetections(s.gt, tracksToPredictions(out, { includeLost: true }), opts).mar;
        const hk = `${s.name}/${cfg.period}/${cfg.delay}`;
        let hold = holdCache.get(hk);
        if (hold === undefined) {
          hold = evaluateDetections(s.gt, holdOutput(dets, cache.frames, cfg), opts).mar;
          holdCache.set(hk, hold);
        }
        rows.push({ ...cfg, mar, hold });
      }
      results.push({ name: s.name, rows });
    }
    const full = (rows: Row[], N: number, D: number) => rows.find((r) => r.period === N && r.delay === D && r.mode.kind === 'full')!;
    const f = (x: number) => x.toFixed(3);
    console.log(`\n=== ${JSON.stringify(v)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    for (const r of results) {
      console.log(`${r.name.padEnd(22)} ${HEAD.map(([N, D]) => f(full(r.rows, N, D).mar)).join(' ')}  hold ${f(full(r.rows, 5, 5).hold)}`);
    }
    const dev = results.filter((r) => r.name !== 'PETS09-S2L1');
    const means = HEAD.map(([N, D]) => dev.reduce((a, r) => a + full(r.rows, N, D).mar, 0) / Math.max(1, dev.length));
    console.log(`MEAN N5D0 ${f(means[0])}  N5D5 ${f(means[1])}  N10D5 ${f(means[2])}  N10D15 ${f(means[3])}`);
    const bad: string[] = [];
    for (const r of results) {
      for (const x of r.rows) {
        if (x.mode.kind !== 'off' && x.mar < x.hold - 0.01) bad.push(`${r.name} N${x.period} D${x.delay} ${formatKatchupMode(x.mode)} ${f(x.mar)} < hold ${f(x.hold)}`);
      }
    }
    console.log(bad.length ? `BELOW HOLD: ${bad.join('; ')}` : 'below hold: none');
    if (pets) {
      const p = results.find((r) => r.name === 'PETS09-S2L1');
      if (p) console.log(`PETS ${p.rows.map((x) => `N${x.period}D${x.delay}${x.mode.kind === 'stride' ? 's3' : x.mode.kind[0]}=${f(x.mar)}`).join(' ')}`);
    }
  }
}

await main();
