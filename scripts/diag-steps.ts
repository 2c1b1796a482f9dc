/**
 * Step diagnostic (development aid, needs ../shared): every ground-truth box of the development
 * sequences is carried L frames with {@link moveBox} alone (no appearance check, occlusion or Katch-Up)
 * through the cached frame-pair motions, and compared with the ground truth L frames later. Per
 * sequence: mean IoU tracked vs hold, the IoU with an oracle size (tracked centre, true size) and with
 * an oracle centre, the regression gain of the measured centre motion / log size change on the true
 * ones (1 = unbiased), the mean log-size and centre errors (tracked/hold, centre in box sizes) and the
 * count of failed steps by reason.
 *
 *   npx tsx scripts/diag-steps.ts [L=5] ['{"sampleInset":0.2}']
 */
import { iou, type Box } from '../src/core/index.js';
import { loadMotionCache } from '../src/controller/training/motion-cache.js';
import { moveBox, resolveTrackerOptions, type TrackerOptions } from '../src/tracker/index.js';
import { devSequences } from '../test/tracker/dev-sequences.js';

const args = process.argv.slice(2);
const L = Number(args[0] ?? 5);
const v = JSON.parse(args[1] ?? '{}') as Partial<TrackerOptions>;
const o = resolveTrackerOptions(v);
for (const s of (await devSequences()).filter((x) => x.name !== 'PETS09-S2L1')) {
  const cache = await loadMotionCache(s.video, { tracker: v });
  let oSize = 0, oCentre = 0, dot = 0, nn = 0, sdot = 0, snn = 0, serr = 0, serrH = 0, cerr = 0, cerrH = 0, n = 0, sumT = 0, sumH = 0;
  const fails: Record<string, number> = {};
  for (let t = 0; t + L < cache.frames; t++) {
    for (const g of s.gt.get(t) ?? []) {
      const end = (s.gt.get(t + L) ?? []).find((x) => x.id === g.id);
      if (!end) continue;
      let box: Box = g.box;
      for (let j = t; j < t + L; j++) {
        const m = cache.motion(j, j + 1)!;
        const r = moveBox(box, m, o);
        if (!r.ok) { fails[r.failure ?? '?'] = (fails[r.failure ?? '?'] ?? 0) + 1; continue; }
        box = r.box;
      }
      const c = (b: Box) => [(b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2, Math.log(b.x2 - b.x1), Math.log(b.y2 - b.y1)];
      const [a0, a1, a2, a3] = c(g.box), [p0, p1, p2, p3] = c(box), [e0, e1, e2, e3] = c(end.box);
      dot += (p0 - a0) * (e0 - a0) + (p1 - a1) * (e1 - a1); nn += (e0 - a0) ** 2 + (e1 - a1) ** 2;
      sdot += (p2 - a2) * (e2 - a2) + (p3 - a3) * (e3 - a3); snn += (e2 - a2) ** 2 + (e3 - a3) ** 2;
      serr += Math.abs(p2 - e2) + Math.abs(p3 - e3); serrH += Math.abs(a2 - e2) + Math.abs(a3 - e3);
      cerr += Math.hypot(p0 - e0, p1 - e1) / Math.sqrt((end.box.x2 - end.box.x1) * (end.box.y2 - end.box.y1));
      cerrH += Math.hypot(a0 - e0, a1 - e1) / Math.sqrt((end.box.x2 - end.box.x1) * (end.box.y2 - end.box.y1));
      n++;
      const eb = end.box;
      const withSize = (b: Box, w: number, h: number) => ({ x1: (b.x1 + b.x2) / 2 - w / 2, x2: (b.x1 + b.x2) / 2 + w / 2, y1: (b.y1 + b.y2) / 2 - h / 2, y2: (b.y1 + b.y2) / 2 + h / 2 }) as Box;
      oSize += iou(withSize(box, eb.x2 - eb.x1, eb.y2 - eb.y1), eb);
      oCentre += iou(withSize(eb, box.x2 - box.x1, box.y2 - box.y1), eb);
      sumT += iou(box, end.box);
      sumH += iou(g.box, end.box);
    }
  }
  console.log(`${s.name.padEnd(22)} L${L} track ${(sumT / n).toFixed(3)} hold ${(sumH / n).toFixed(3)} oracleSize ${(oSize / n).toFixed(3)} oracleCentre ${(oCentre / n).toFixed(3)} motionGain ${(dot / nn).toFixed(2)} scaleGain ${(sdot / snn).toFixed(2)} logSizeErr ${(serr / n).toFixed(3)}/${(serrH / n).toFixed(3)} centreErr ${(cerr / n).toFixed(3)}/${(cerrH / n).toFixed(3)} failed ${JSON.stringify(fails)}`);
}
