/**
 * Replay throughput of the device pipeline on the sample clip (videos/pets09-s2l1-300.mp4, 300 frames,
 * 768x576) with `periodic:5` over the `wifi-good` preset, for NanoDet and (when ../shared holds it)
 * YOLOX-nano 320. The edge server runs in this process on loopback with a timing wrapper around the
 * detector, so the detector's wall time (JPEG decode + pre + inference + post) is known exactly.
 *
 * Reported per model: frames/s of the frame loop (startup — model load, OpenCV init, edge start,
 * connect, decoder start and first frame — excluded and shown apart) and pipeline overhead = loop −
 * detector − tracker (tracker = tracking + Katch-Up re-tracking, from report.timing), as % of the
 * loop, with the loop's waits for the edge and for the JPEG encode. Goals: ≥ 30 frames/s and
 * overhead ≤ 20%. Because the detector works while the device tracks, that overhead also shrinks when
 * the detector slows down under CPU contention; "device machinery" = loop − tracker − waiting for the
 * edge is printed beside it and does not depend on the detector's speed. Baselines measured in the same process: decode alone (same 300 frames), tracker
 * alone (decode + MultiTracker.update on every frame + the same detections applied at every 5th frame
 * without delay or Katch-Up) and detector alone (detect() on the 60 JPEGs the policy sends, back to back).
 * One warm-up pipeline run (20 frames) precedes five measured runs; the median one (by overhead) is
 * reported in detail.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Detection, type ObjectDetector, parseKatchupMode, qualityLevel } from '../src/core/index.js';
import { ThreadedDetector } from '../src/detector/index.js';
import { encodeFrameJpeg, runPipeline } from '../src/pipeline/index.js';
import { scaleDetectionsToFrame } from '../src/pipeline/scale-detections.js';
import { MultiTracker } from '../src/tracker/index.js';
import { silentLogger, startEdgeServer } from '../src/transport/index.js';
import { fileFrames } from '../src/video/index.js';

const VIDEO = fileURLToPath(new URL('../videos/pets09-s2l1-300.mp4', import.meta.url));
const YOLOX = fileURLToPath(new URL('../../shared/data/models/yolox_nano_320.onnx', import.meta.url));
const PERIOD = 5;
const POLICY = `periodic:${PERIOD}`;
const QUALITY = 'high'; // what periodic:N sends by default
const RUNS = 5;

const f1 = (x: number): string => x.toFixed(1);
const f0 = (x: number): string => x.toFixed(0);
const f2 = (x: number): string => x.toFixed(2);
const pctOf = (part: number, whole: number): string => `${f1((100 * part) / whole)}%`;

/** Delegates to a detector and sums the wall time of its detect() calls. */
class TimedDetector implements ObjectDetector {
  readonly name: string;
  readonly #inner: ObjectDetector;
  ms = 0;
  calls = 0;
  constructor(inner: ObjectDetector) {
    this.#inner = inner;
    this.name = inner.name;
  }
  async detect(input: Parameters<ObjectDetector['detect']>[0]) {
    const t = performance.now();
    try {
      return await this.#inner.detect(input);
    } finally {
      this.ms += performance.now() - t;
      this.calls++;
    }
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
}

/** Decode alone: the 300 frames through fileFrames, nothing else. */
async function decodeAlone(): Promise<{ ms: number; frames: number }> {
  const t = performance.now();
  let frames = 0;
  for await (const _ of fileFrames(VIDEO)) frames++;
  return { ms: performance.now() - t, frames };
}

/** Encode alone and detector alone on the JPEGs the policy would send (every PERIOD-th frame at quality `high`). */
async function encodeAndDetectAlone(detector: ObjectDetector): Promise<{ encodeMs: number; ms: number; calls: number; detections: Map<number, Detection[]> }> {
  const jpegs: { index: number; jpeg: Uint8Array; w: number; h: number; fw: number; fh: number }[] = [];
  let encodeMs = 0;
  for await (const f of fileFrames(VIDEO)) {
    if (f.index % PERIOD !== 0) continue;
    const t0 = performance.now();
    const e = await encodeFrameJpeg(f, qualityLevel(QUALITY));
    encodeMs += performance.now() - t0;
    jpegs.push({ index: f.index, jpeg: e.jpeg, w: e.width, h: e.height, fw: f.width, fh: f.height });
  }
  const detections = new Map<number, Detection[]>();
  const t = performance.now();
  for (const j of jpegs) {
    const r = await detector.detect(j.jpeg);
    detections.set(j.index, scaleDetectionsToFrame(r.detections, { width: j.w, height: j.h }, { width: j.fw, height: j.fh }));
  }
  return { encodeMs, ms: performance.now() - t, calls: jpegs.length, detections };
}

/** Tracker alone: decode + update every frame, the detections applied at once (no delay, no Katch-Up). */
async function trackerAlone(detections: Map<number, Detection[]>): Promise<{ loopMs: number; trackerMs: number }> {
  const tracker = await MultiTracker.create();
  try {
    let trackerMs = 0;
    const t = performance.now();
    for await (const f of fileFrames(VIDEO)) {
      const t0 = performance.now();
      tracker.update(f);
      const d = detections.get(f.index);
      if (d) tracker.correct(f.index, d, parseKatchupMode('off'));
      trackerMs += performance.now() - t0;
    }
    return { loopMs: performance.now() - t, trackerMs };
  } finally {
    tracker.close();
  }
}

async function benchModel(label: string, model: string): Promise<void> {
  const tLoad = performance.now();
  // as `edgetrack edge` and `--edge local` run it: the session in a worker thread
  const inner = await ThreadedDetector.create({ model, threads: 2, log: () => {} });
  const loadMs = performance.now() - tLoad;
  const timed = new TimedDetector(inner);
  const server = await startEdgeServer({ host: '127.0.0.1', port: 0, detectors: [timed], perClientQueue: 16, deadlineMs: 60_000, logger: silentLogger });
  const out = mkdtempSync(join(tmpdir(), 'edgetrack-bench-pipeline-'));
  try {
    const base = { input: VIDEO, policy: POLICY, trace: 'wifi-good', clock: 'replay' as const, edge: server.url, token: '', model: timed.name, noEval: true };
    // warm-up: OpenCV.js, onnxruntime, sharp, ffmpeg (its startup is the one-time cost a cold run pays)
    const warm = await runPipeline({ ...base, maxFrames: 20, outDir: join(out, 'warm') });
    const decode = await decodeAlone();
    // RUNS measured runs; the one with the median overhead is reported in detail (on a shared
    // 2-core machine single runs vary by ±3 points), the others in one line
    const runs: { r: Awaited<ReturnType<typeof runPipeline>>; detMs: number; detCalls: number; overheadMs: number; overheadPct: number; machineryPct: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      timed.ms = 0;
      timed.calls = 0;
      const r = await runPipeline({ ...base, outDir: join(out, `run${i}`) });
      const overheadMs = r.timing.loopMs - timed.ms - r.timing.trackerMs - r.timing.katchupMs;
      const machineryMs = r.timing.loopMs - r.timing.trackerMs - r.timing.katchupMs - r.timing.edgeWaitMs;
      runs.push({ r, detMs: timed.ms, detCalls: timed.calls, overheadMs, overheadPct: (100 * overheadMs) / r.timing.loopMs, machineryPct: (100 * machineryMs) / r.timing.loopMs });
    }
    const byOverhead = [...runs].sort((a, b) => a.overheadPct - b.overheadPct);
    const { r, detMs, detCalls, overheadMs: overhead } = byOverhead[Math.floor(RUNS / 2)];
    // the same pipeline without offloading (policy never: one detection at frame 0, then tracking only)
    const never = await runPipeline({ ...base, policy: 'never', outDir: join(out, 'never') });
    const alone = await encodeAndDetectAlone(timed);
    const trk = await trackerAlone(alone.detections);

    const loop = r.timing.loopMs;
    const row = (name: string, ms: number, extra = '') => console.log(`  ${name.padEnd(38)} ${f0(ms).padStart(6)} ms  ${pctOf(ms, loop).padStart(6)}${extra}`);
    console.log(`\n--- ${label}: ${POLICY} over wifi-good, ${r.frames} frames ${r.width}x${r.height}, replay clock ---`);
    console.log(`offloads ${r.offloads} (answered ${r.answered}, failed ${r.failed}); Katch-Up frames ${r.katchupFrames}`);
    console.log(`one-time startup (excluded from the loop): model load ${f0(loadMs)} ms; first run to its first frame ${f0(warm.timing.startupMs)} ms (OpenCV init, probe, connect, decoder start); later runs ${f0(r.timing.startupMs)} ms`);
    console.log(`${RUNS} runs, overhead / device machinery / frames/s: ${runs.map((x) => `${f1(x.overheadPct)}% / ${f1(x.machineryPct)}% / ${f1((1000 * x.r.frames) / x.r.timing.loopMs)}`).join(', ')}; the median run:`);
    console.log(`frame loop: ${f0(loop)} ms = ${f1((1000 * r.frames) / loop)} frames/s (goal ≥ 30)`);
    row(`detector (edge, ${detCalls} calls)`, detMs, `  (${f1(detMs / Math.max(1, detCalls))} ms/call, in a worker thread)`);
    row('tracker update', r.timing.trackerMs, `  (${f1(r.timing.trackerMs / r.frames)} ms/frame)`);
    row('Katch-Up re-tracking', r.timing.katchupMs);
    console.log(`pipeline overhead = loop − detector − tracker = ${f0(overhead)} ms = ${pctOf(overhead, loop)} of the loop (goal ≤ 20%)`);
    // the detector overlaps the tracking (that is the point), so the figure above shrinks as the
    // detector slows down under contention; this one does not depend on the detector's speed
    const machinery = loop - r.timing.trackerMs - r.timing.katchupMs - r.timing.edgeWaitMs;
    console.log(`device machinery = loop − tracker − waiting for the edge = ${f0(machinery)} ms = ${pctOf(machinery, loop)} (${f2(machinery / r.frames)} ms/frame: encode wait, decode hand-off, RxJS, sinks, WebSocket, the in-process server)`);
    console.log('where the device loop waited (main thread idle):');
    row('  for answers already due (edge busy)', r.timing.edgeWaitMs, '  (part of the detector time above)');
    row('  for its own JPEG encode after tracking', r.timing.encodeWaitMs, `  (encode ${f1(r.timing.encodeMs / Math.max(1, r.offloads))} ms/offload, overlapped with tracking the frame)`);
    console.log('baselines (same process, same 300 frames):');
    console.log(`  decode alone                      ${f0(decode.ms).padStart(6)} ms  ${f1((1000 * decode.frames) / decode.ms).padStart(6)} frames/s   pipeline loop / decode alone = ${f2(loop / decode.ms)}×`);
    console.log(`  tracker alone (decode + update + correct every ${PERIOD}th) ${f0(trk.loopMs)} ms  ${f1((1000 * r.frames) / trk.loopMs)} frames/s (tracker ${f0(trk.trackerMs)} ms)   pipeline loop / tracker alone = ${f2(loop / trk.loopMs)}×`);
    console.log(`  pipeline, policy never (tracking only) ${f0(never.timing.loopMs)} ms  ${f1((1000 * never.frames) / never.timing.loopMs)} frames/s (tracker ${f0(never.timing.trackerMs)} ms)   / tracker alone = ${f2(never.timing.loopMs / trk.loopMs)}×`);
    console.log(`  encode alone (${alone.calls} JPEGs, ${QUALITY})         ${f0(alone.encodeMs).padStart(6)} ms  ${f1(alone.encodeMs / alone.calls).padStart(6)} ms/JPEG     in-pipeline encode / alone = ${f2(r.timing.encodeMs / alone.encodeMs)}×`);
    console.log(`  detector alone (${alone.calls} JPEGs)             ${f0(alone.ms).padStart(6)} ms  ${f1(alone.ms / alone.calls).padStart(6)} ms/call     in-pipeline detector / alone = ${f2(detMs / alone.ms)}×`);
    console.log(`  serial sum tracker alone + encode alone + detector alone = ${f0(trk.loopMs + alone.encodeMs + alone.ms)} ms; pipeline loop / serial sum = ${f2(loop / (trk.loopMs + alone.encodeMs + alone.ms))}×`);
  } finally {
    await server.close();
    await inner.close();
    rmSync(out, { recursive: true, force: true });
  }
}

const MODELS: readonly { label: string; model: string; optional?: boolean }[] = [
  { label: 'NanoDet 416 (default)', model: 'nanodet' },
  { label: 'YOLOX-nano 320 (../shared)', model: YOLOX, optional: true },
];

/**
 * Runs the pipeline bench (see the file comment). Each model is measured in a fresh Node process:
 * measured in one process after the NanoDet section, the YOLOX runs slowed down run after run — V8
 * ran 27–37 old-space mark-compacts per run instead of 5–8 (heap size unchanged), its heap limit
 * apparently shrunk during the pause between sections — which measures V8's heuristics, not edgetrack.
 */
export async function run(): Promise<void> {
  for (const m of MODELS) {
    if (m.optional && !existsSync(m.model)) {
      console.log(`\n${m.label} skipped: ${m.model} not found`);
      continue;
    }
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), m.model, m.label], { stdio: 'inherit' });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`pipeline bench for ${m.label} exited with code ${code}`);
  }
}

// `node --import tsx bench/pipeline.bench.ts <model> <label>`: one model, in this process
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2]) {
  await benchModel(process.argv[3] ?? process.argv[2], process.argv[2]);
}
