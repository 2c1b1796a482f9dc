/**
 * Tracker bench (`npm run bench -- tracker`): median ms per frame of MultiTracker.update for 1, 10 and
 * 30 tracks at 768x576 (synthetic clip), and of a 10-frame Katch-Up with 10 tracks; each against a
 * baseline measured in the same process: ONE plain forward calcOpticalFlowPyrLK call per frame pair on
 * 20 grid points per object (the previous Median-Flow tracker's budget; window 11, 2 pyramid levels,
 * 20 iterations) on 384-px processing images, points carried from frame to frame (plain KLT, no checks,
 * no re-sampling, no colour conversion). The tracker itself computes one dense flow per frame pair
 * (shared by all tracks; Katch-Up `full` reuses the pairs update computed).
 * Goals (issue 4): ≤ 6 ms per frame for 10 tracks, ≤ 60 ms for a 10-frame Katch-Up with 10 tracks.
 */
import { loadavg } from 'node:os';
import { MultiTracker, DEFAULT_TRACKER_OPTIONS, loadOpenCv, type CvMat, type OpenCv } from '../src/tracker/index.js';

/** The plain-LK baseline's parameters (fixed, so ratios stay comparable across tracker changes). */
const LK = { winSize: 11, maxLevel: 2, iterations: 20, pointsPerBox: 20, maxSide: 384 } as const;
import { renderScene, type SceneFrame } from '../src/video/synthetic/scene.js';
import { truthDetections } from '../test/tracker/helpers.js';
import { GrayConverter, processingGeometry } from '../src/tracker/gray.js';

const W = 768;
const H = 576;
const FRAMES = 80;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Plain KLT baseline: one forward LK call per frame pair on `pointsPerBox` grid points in each truth box of frame 0. */
function baselineMs(cv: OpenCv, grays: CvMat[], scene: SceneFrame[], pointsPerBox: number, scale: number, from = 1, to = grays.length): number[] {
  const pts: number[] = [];
  const g = Math.ceil(Math.sqrt(pointsPerBox));
  for (const t of scene[from - 1].truth) {
    for (let i = 0; i < pointsPerBox; i++) {
      const gx = i % g;
      const gy = Math.floor(i / g);
      pts.push((t.box.x1 + ((gx + 0.5) * (t.box.x2 - t.box.x1)) / g) * scale, (t.box.y1 + ((gy + 0.5) * (t.box.y2 - t.box.y1)) / g) * scale);
    }
  }
  let p0 = new cv.Mat(pts.length / 2, 1, cv.CV_32FC2);
  p0.data32F.set(pts);
  const st = new cv.Mat();
  const err = new cv.Mat();
  const win = new cv.Size(LK.winSize, LK.winSize);
  const crit = new cv.TermCriteria(cv.TermCriteria_COUNT + cv.TermCriteria_EPS, LK.iterations, 0.01);
  const ms: number[] = [];
  for (let i = from; i < to; i++) {
    const p1 = new cv.Mat();
    const t0 = performance.now();
    cv.calcOpticalFlowPyrLK(grays[i - 1], grays[i], p0, p1, st, err, win, LK.maxLevel, crit);
    ms.push(performance.now() - t0);
    p0.delete();
    p0 = p1;
  }
  p0.delete();
  st.delete();
  err.delete();
  return ms;
}

export async function run(): Promise<void> {
  const cv = await loadOpenCv();
  const o = DEFAULT_TRACKER_OPTIONS;
  const geo = processingGeometry(W, H, 1, LK.maxSide);
  const own = processingGeometry(W, H, o.processingScale, o.maxSide);
  console.log(`MultiTracker at ${W}x${H} (processing ${own.width}x${own.height}, dense flow ${o.flowLevels + 1} levels, window ${o.flowWinSize}); baseline LK at ${geo.width}x${geo.height}, window ${LK.winSize}, ${LK.maxLevel} levels, ${LK.pointsPerBox} points per object; ${FRAMES} frames; single thread (OpenCV.js has no threads)`);
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (2 cores: figures above ~1.5 mean contention)`);
  console.log('| case | tracker median ms | tracker median CPU ms | baseline median ms (1 LK call, same point count) | ratio | goal |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  for (const objects of [1, 10, 30]) {
    const scene = [...renderScene('multi', { width: W, height: H, frames: FRAMES, objects, seed: 5 }).frames()];
    const tr = await MultiTracker.create();
    const conv = new GrayConverter(cv, geo);
    const grays = scene.map((f) => conv.convert(f.frame));
    try {
      const ms: number[] = [];
      const cpu: number[] = [];
      for (const { frame, truth } of scene) {
        const c0 = process.cpuUsage();
        tr.update(frame);
        const c = process.cpuUsage(c0);
        if (frame.index === 0) tr.correct(0, truthDetections(truth), { kind: 'full' });
        else if (frame.index >= 5) {
          ms.push(tr.stats.ms);
          cpu.push((c.user + c.system) / 1000);
        }
      }
      const base = baselineMs(cv, grays, scene, LK.pointsPerBox, geo.scale).slice(4);
      const m = median(ms);
      const b = median(base);
      const goal = objects === 10 ? (m <= 6 ? 'met (≤ 6 ms)' : 'MISSED (≤ 6 ms)') : '';
      console.log(`| update, ${objects} track${objects > 1 ? 's' : ''} | ${m.toFixed(2)} | ${median(cpu).toFixed(2)} | ${b.toFixed(2)} | ${(m / b).toFixed(2)}x | ${goal} |`);

      if (objects === 10) {
        // Katch-Up: detections for frame t-10 arrive at t; re-track 10 frames (full) or 4 (stride:3).
        for (const spec of [{ kind: 'full' }, { kind: 'stride', stride: 3 }] as const) {
          const kms: number[] = [];
          const kcpu: number[] = [];
          const bms: number[] = [];
          for (let t = 30; t < FRAMES; t += 5) {
            const tr2 = await MultiTracker.create();
            for (const f of scene.slice(0, t + 1)) tr2.update(f.frame);
            const c0 = process.cpuUsage();
            const r = tr2.correct(t - 10, truthDetections(scene[t - 10].truth), spec);
            const c = process.cpuUsage(c0);
            kms.push(r.ms);
            kcpu.push((c.user + c.system) / 1000);
            tr2.close();
            const steps = r.framesRetracked;
            const lk = baselineMs(cv, grays, scene, LK.pointsPerBox, geo.scale, t - 9, t + 1);
            bms.push(spec.kind === 'full' ? lk.reduce((a, x) => a + x, 0) : (lk.reduce((a, x) => a + x, 0) * steps) / 10);
          }
          const km = median(kms);
          const bm = median(bms);
          const goal = spec.kind === 'full' ? (km <= 60 ? 'met (≤ 60 ms)' : 'MISSED (≤ 60 ms)') : '';
          console.log(`| Katch-Up 10 frames, 10 tracks, ${spec.kind === 'full' ? 'full' : 'stride:3'} | ${km.toFixed(2)} | ${median(kcpu).toFixed(2)} | ${bm.toFixed(2)} | ${(km / bm).toFixed(2)}x | ${goal} |`);
        }
      }
    } finally {
      tr.close();
      conv.close();
      for (const g of grays) g.delete();
    }
  }
}
