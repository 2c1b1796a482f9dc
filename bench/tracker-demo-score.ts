/**
 * Scores a run's person boxes against a MOT ground truth with CLEAR-MOT (MOTA, as TrackEval computes
 * it: per frame a Hungarian assignment on IoU ≥ 0.5 with a bonus for keeping last frame's pairs; IDSW
 * against the last matched id) and COCO mAR. Stop-gap until the evaluation issue's metrics land.
 *
 *   npx tsx bench/tracker-demo-score.ts <frames.jsonl | tracks.txt> <gt.txt> [frames] [classId]
 *
 * frames.jsonl rows carry class ids (only `classId` is scored, default 0 = person); tracks.txt rows
 * have none (all are scored). Checked against ../shared/data/metrics-fixtures/pets09-300-heuristic
 * (TrackEval: MOTA −1.303529, FP 3138, FN 753, IDSW 25; COCO mAR 0.2295 over all 1874 gt rows).
 */
import { readFileSync } from 'node:fs';
import { type Box, iou, parseMot } from '../src/core/index.js';
import { evaluateDetections, loadMotGroundTruth, type ScoredBox } from '../src/eval/index.js';

interface Obj { readonly id: number; readonly box: Box; readonly score: number }

/** Minimum-cost assignment (rows ≤ cols after transposition), Jonker-style potentials, O(n²m). */
function assign(cost: number[][]): [number, number][] {
  const n0 = cost.length;
  const m0 = n0 ? cost[0].length : 0;
  if (!n0 || !m0) return [];
  const t = n0 > m0;
  const a = t ? cost[0].map((_, j) => cost.map((r) => r[j])) : cost;
  const n = a.length;
  const m = a[0].length;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = a[i0 - 1][j - 1] - u[i0] - v[j];
        if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
        if (minv[j] < delta) { delta = minv[j]; j1 = j; }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) { u[p[j]] += delta; v[j] -= delta; } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do { const j1 = way[j0]; p[j0] = p[j1]; j0 = j1; } while (j0);
  }
  const out: [number, number][] = [];
  for (let j = 1; j <= m; j++) if (p[j]) out.push(t ? [j - 1, p[j] - 1] : [p[j] - 1, j - 1]);
  return out;
}

/** CLEAR-MOT counts over frames 0..frames−1 (0-based keys). */
export function clearMot(gt: ReadonlyMap<number, readonly Obj[]>, pr: ReadonlyMap<number, readonly Obj[]>, frames: number) {
  let tp = 0; let fp = 0; let fn = 0; let idsw = 0;
  const last = new Map<number, number>();
  let prevStep = new Map<number, number>();
  for (let f = 0; f < frames; f++) {
    const g = gt.get(f) ?? [];
    const p = pr.get(f) ?? [];
    if (!g.length) { fp += p.length; prevStep = new Map(); continue; }
    if (!p.length) { fn += g.length; prevStep = new Map(); continue; }
    const score = g.map((x) => p.map((y) => {
      const s = iou(x.box, y.box);
      return s < 0.5 - 1e-9 ? 0 : s + (prevStep.get(x.id) === y.id ? 1000 : 0);
    }));
    const pairs = assign(score.map((r) => r.map((s) => -s))).filter(([i, j]) => score[i][j] > 1e-9);
    const now = new Map<number, number>();
    for (const [i, j] of pairs) {
      const gid = g[i].id;
      const tid = p[j].id;
      if (last.has(gid) && last.get(gid) !== tid) idsw++;
      last.set(gid, tid);
      now.set(gid, tid);
    }
    prevStep = now;
    tp += pairs.length;
    fp += p.length - pairs.length;
    fn += g.length - pairs.length;
  }
  return { mota: (tp - fp - idsw) / Math.max(1, tp + fn), tp, fp, fn, idsw, boxes: tp + fp, gtBoxes: tp + fn };
}

function readPredictions(path: string, classId: number): Map<number, Obj[]> {
  const out = new Map<number, Obj[]>();
  if (path.endsWith('.jsonl')) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { frameIndex?: number; frame?: number; tracks?: { id: number; classId: number; box: Box | number[]; score: number; state?: string }[] };
      const f = row.frameIndex ?? row.frame!;
      const list: Obj[] = [];
      for (const t of row.tracks ?? []) {
        if (t.classId !== classId || (t.state && t.state !== 'tracked')) continue;
        const b = Array.isArray(t.box) ? { x1: t.box[0], y1: t.box[1], x2: t.box[2], y2: t.box[3] } : t.box;
        list.push({ id: t.id, box: b, score: t.score });
      }
      out.set(f, list);
    }
    return out;
  }
  for (const r of parseMot(readFileSync(path, 'utf8'), path)) {
    const list = out.get(r.frame - 1) ?? [];
    list.push({ id: r.id, box: r.box, score: r.score });
    out.set(r.frame - 1, list);
  }
  return out;
}

if (process.argv[1]?.endsWith('tracker-demo-score.ts')) {
  const [predPath, gtPath, framesArg, classArg] = process.argv.slice(2);
  if (!predPath || !gtPath) throw new Error('usage: tracker-demo-score.ts <frames.jsonl | tracks.txt> <gt.txt> [frames] [classId]');
  const classId = Number(classArg ?? 0);
  const frames = Number(framesArg ?? 300);
  const gtRaw = loadMotGroundTruth(gtPath);
  const gt = new Map<number, Obj[]>();
  for (const [f, l] of gtRaw) if (f < frames) gt.set(f, l.map((x) => ({ id: x.id ?? 0, box: x.box, score: 1 })));
  const pr = readPredictions(predPath, classId);
  const c = clearMot(gt, pr, frames);
  const preds = new Map<number, ScoredBox[]>([...pr].filter(([f]) => f < frames).map(([f, l]) => [f, l.map((o) => ({ box: o.box, score: o.score, classId: 0 }))]));
  // COCO recall counts every gt row (as the fixture's coco-recall.json); CLEAR only rows with conf ≠ 0.
  const gtEval = new Map([...loadMotGroundTruth(gtPath, { onlyConsidered: false })].filter(([f]) => f < frames));
  const m = evaluateDetections(gtEval, preds, { frames, classes: [0] });
  console.log(JSON.stringify({ ...c, boxesPerGt: c.boxes / c.gtBoxes, mar: m.mar, ar50: m.ar50, precision: m.precision }));
}
