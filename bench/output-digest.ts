/**
 * Output digest for speed work that must not change any output (`npx tsx bench/output-digest.ts
 * [tracker|sim|all]`): sha256 of every FrameMotion encoding and of every track (box, ids, confidence,
 * state, per-frame stats) of MultiTracker runs with ground-truth corrections (N5 D5 full, N10 D15
 * stride:3, N10 D5 off) on the sample clip and, when ../shared is present, on DAVIS16 breakdance,
 * drift-chicane and TUD-Stadtmitte; and the totals (mAR, bytes, energy, reward, per-frame digest) of one
 * OffloadEnv episode per policy on the sample clip. Run it before and after a change and diff the output.
 * `W=/path/to/other/worktree` runs another checkout's code.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const W = process.env.W ?? fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const { MultiTracker, encodeFrameMotion } = await import(`${W}/src/tracker/index.js`);
const { makeDetection } = await import(`${W}/src/core/index.js`);
const { offlineFrames } = await import(`${W}/src/pipeline/offline-frames.js`);
const { devSequences } = await import(`${W}/test/tracker/dev-sequences.js`);
const { loadMotGroundTruth } = await import(`${W}/src/eval/index.js`);
const { loadEnvVideo } = await import(`${W}/src/controller/training/env-video.js`);
const { OffloadEnv } = await import(`${W}/src/controller/training/offload-env.js`);
const { createPolicy } = await import(`${W}/src/controller/index.js`);

const which = process.argv[2] ?? 'all';
const out: Record<string, string> = {};
const f64 = (xs: number[]) => Buffer.from(new Float64Array(xs).buffer);

async function trackerRef(name: string, video: string, gt: Map<number, any[]>, maxFrames: number) {
  const frames: any[] = [];
  for await (const f of offlineFrames(video, maxFrames)()) frames.push(f);
  const configs = [ { N: 5, D: 5, mode: { kind: 'full' } }, { N: 10, D: 15, mode: { kind: 'stride', stride: 3 } }, { N: 10, D: 5, mode: { kind: 'off' } } ] as const;
  for (const c of configs) {
    const tr = await MultiTracker.create();
    const hm = createHash('sha256');
    const ht = createHash('sha256');
    let motions = 0;
    tr.onMotion = (m: any) => { hm.update(encodeFrameMotion(m)); motions++; };
    const dets = (k: number) => (gt.get(k) ?? []).map((g: any) => makeDetection(g.box, 1, g.classId));
    for (const frame of frames) {
      tr.update(frame);
      const st = tr.stats;
      ht.update(f64([st.trackCount, st.lostCount, st.meanConfidence, st.minConfidence, st.meanMotionPx]));
      const k = frame.index - c.D;
      let tracks = tr.tracks();
      if (k >= 0 && k % c.N === 0) tracks = tr.correct(k, dets(k), c.mode).tracks;
      for (const t of tracks) { ht.update(f64([t.id, t.box.x1, t.box.y1, t.box.x2, t.box.y2, t.classId, t.score, t.confidence, t.age, t.lastDetectedFrame, t.state === 'lost' ? 1 : 0])); }
      ht.update('|');
    }
    tr.close();
    out[`${name} N${c.N}D${c.D} ${c.mode.kind} motions(${motions})`] = hm.digest('hex');
    out[`${name} N${c.N}D${c.D} ${c.mode.kind} tracks`] = ht.digest('hex');
  }
}

if (which === 'all' || which === 'tracker') {
  const petsGt = `${W}/../shared/data/sequences/PETS09-S2L1/gt.txt`;
  if (!existsSync(petsGt)) {
    console.log(`tracker digests skipped: ${petsGt} not found (../shared absent)`);
  } else {
    const pets = loadMotGroundTruth(petsGt, { classId: 0 });
    await trackerRef('sample', `${W}/videos/pets09-s2l1-300.mp4`, pets, 300);
    for (const s of await devSequences(['DAVIS16-drift-chicane', 'DAVIS16-breakdance', 'TUD-Stadtmitte'])) await trackerRef(s.name, s.video, s.gt, 200);
  }
}
if (which === 'all' || which === 'sim') {
  const SAMPLE = `${W}/videos/pets09-s2l1-300.mp4`;
  const v = await loadEnvVideo(SAMPLE, { maxFrames: 120 });
  const env = await OffloadEnv.create({ video: SAMPLE, trace: 'lte-drive', lambdaChannel: 0.02, lambdaEnergy: 0.02, maxFrames: 120 }, v);
  for (const p of ['never', 'periodic:5,medium,stride:3', 'periodic:10,high,full', 'periodic:3,low,off', 'heuristic', 'full', 'minimal', 'learned']) {
    const h = createHash('sha256');
    const tot = env.runPolicy(createPolicy(p), (f: any) => { h.update(f64([f.bytes, f.reward, f.recall])); for (const t of f.tracks) h.update(f64([t.id, t.box.x1, t.box.y1, t.box.x2, t.box.y2, t.confidence])); });
    out[`sim ${p}`] = `mar=${tot.mar} bytes=${tot.bytesSent} energy=${tot.deviceEnergyJ} reward=${tot.reward} frames=${h.digest('hex')}`;
  }
  v.close();
}
for (const [k, v] of Object.entries(out)) console.log(`${k}: ${v}`);
