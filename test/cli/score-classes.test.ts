import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_CLIP, SHARED, removeTempDirs, runCli, tempDir } from '../pipeline/helpers.js';

afterAll(() => removeTempDirs());

/** gt: object 1 on frames 1–3 (MOT15 style, no classes); tracks: id 7 exact on frames 1–2, id 8 on frame 3 (an identity switch). */
function smallPair(dir: string, trackClass = -1): { gt: string; pred: string } {
  const gt = join(dir, 'gt.txt');
  const pred = join(dir, 'tracks.txt');
  writeFileSync(gt, '1,1,10,10,20,40,1,-1,-1,-1\n2,1,12,10,20,40,1,-1,-1,-1\n3,1,14,10,20,40,1,-1,-1,-1\n');
  writeFileSync(pred, `1,7,10,10,20,40,0.9,${trackClass},-1,-1\n2,7,12,10,20,40,0.9,${trackClass},-1,-1\n3,8,14,10,20,40,0.9,${trackClass},-1,-1\n`);
  return { gt, pred };
}

describe('edgetrack score', () => {
  it('prints the detection and tracking metrics of a small hand-worked pair', async () => {
    const { gt, pred } = smallPair(tempDir('edgetrack-score-'));
    const r = await runCli(['score', gt, pred]);
    expect(r.code).toBe(0);
    // 3 gt boxes all matched exactly: mAR 1; one switch: MOTA (3 − 0 − 1)/3 = 66.7 %; IDF1 2/(2 + 0.5 + 0.5) = 66.7 %
    expect(r.stdout).toMatch(/scored class\s+person \(default/);
    expect(r.stdout).toMatch(/mAR\s+100\.0%/);
    expect(r.stdout).toMatch(/MOTA\s+66\.7%/);
    expect(r.stdout).toMatch(/IDF1\s+66\.7%/);
    expect(r.stdout).toMatch(/IDSW 1/);
  });

  it('--json gives the numbers; --gt-class names the class; a track class that differs is missed, loudly', async () => {
    const { gt, pred } = smallPair(tempDir('edgetrack-score-'), 0);
    const ok = await runCli(['score', gt, pred, '--json']);
    expect(ok.code).toBe(0);
    const s = JSON.parse(ok.stdout) as { mar: number; tracking: { idsw: number; mota: number }; scoredClasses: string[] };
    expect(s.scoredClasses).toEqual(['person']);
    expect(s.mar).toBe(1);
    expect(s.tracking.idsw).toBe(1);
    const cow = await runCli(['score', gt, pred, '--gt-class', 'cow', '--json']);
    expect(cow.code).toBe(0);
    expect((JSON.parse(cow.stdout) as { mar: number }).mar).toBe(0);
    expect(cow.stderr).toMatch(/WARNING: no predicted box has the scored class cow: .*predicted classes: person ×3/);
    const ignored = await runCli(['score', gt, pred, '--gt-class', 'cow', '--ignore-pred-class', '--json']);
    expect((JSON.parse(ignored.stdout) as { mar: number }).mar).toBe(1);
  });

  it('bad class names and missing files are usage errors (exit 2) naming the problem', async () => {
    const { gt, pred } = smallPair(tempDir('edgetrack-score-'));
    const bad = await runCli(['score', gt, pred, '--gt-class', 'kow']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--gt-class: .*unknown "kow"\. Valid names: person, .* cow, /);
    const missing = await runCli(['score', join(gt, 'nope'), pred]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/gt: no such file/);
  });

  const fixture = join(SHARED, 'data/metrics-fixtures/pets09-300-heuristic');
  it.skipIf(!existsSync(fixture))('matches TrackEval on the pets09-300 fixture (needs ../shared)', async () => {
    const r = await runCli(['score', join(fixture, 'gt.txt'), join(fixture, 'tracks.txt'), '--json']);
    const ref = JSON.parse(readFileSync(join(fixture, 'trackeval.json'), 'utf8')) as { HOTA: number; MOTA: number; IDF1: number; IDSW: number };
    const s = JSON.parse(r.stdout) as { tracking: { hota: number; mota: number; idf1: number; idsw: number } };
    expect(Math.abs(s.tracking.hota - ref.HOTA)).toBeLessThan(1e-3);
    expect(Math.abs(s.tracking.mota - ref.MOTA)).toBeLessThan(1e-3);
    expect(Math.abs(s.tracking.idf1 - ref.IDF1)).toBeLessThan(1e-3);
    expect(s.tracking.idsw).toBe(ref.IDSW);
  });
});

describe('classes on run', () => {
  it('--classes person: tracks.txt has the class in column 8, frames.jsonl the class name, no other class', async () => {
    const out = join(tempDir('edgetrack-classes-'), 'out');
    const r = await runCli(['run', SAMPLE_CLIP, '--classes', 'person', '--policy', 'periodic:3', '--max-frames', '12', '--no-eval', '--out', out]);
    expect(r.code).toBe(0);
    const rows = readFileSync(join(out, 'tracks.txt'), 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(rows.length).toBeGreaterThan(10);
    expect(new Set(rows.map((c) => c[7]))).toEqual(new Set(['0']));
    const frames = readFileSync(join(out, 'frames.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tracks: { classId: number; className: string }[] });
    const tracks = frames.flatMap((f) => f.tracks);
    expect(tracks.length).toBeGreaterThan(0);
    for (const t of tracks) expect([t.classId, t.className]).toEqual([0, 'person']);
  });
});

describe('classes on run: checked before any work', () => {
  it('run --classes with a bad name exits 2 listing the valid names, writing nothing', async () => {
    const out = join(tempDir('edgetrack-classes-'), 'out');
    const r = await runCli(['run', SAMPLE_CLIP, '--classes', 'person,cars', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--classes: .*unknown "cars"\. Valid names: person, bicycle, car/);
    expect(existsSync(out)).toBe(false);
  });

  it('run --gt with a gt.txt that has no box of the scored class fails at once (exit 2), writing nothing', async () => {
    const dir = tempDir('edgetrack-classes-');
    const gt = join(dir, 'gt.txt');
    writeFileSync(gt, '1,1,10,10,20,40,1,1,1.0\n2,1,12,10,20,40,1,1,1.0\n'); // MOT class 1 = pedestrian only
    const out = join(dir, 'out');
    const r = await runCli(['run', SAMPLE_CLIP, '--gt', gt, '--gt-class', 'car', '--out', out]);
    expect(r.code).toBe(2); // an input error: refused before any work
    expect(r.stderr).toMatch(/gt\.txt: no box of class car \(from --gt-class\); column 8 holds 2 rows of MOT class 1 \(person\)/);
    expect(existsSync(out)).toBe(false);
    const excluded = await runCli(['run', SAMPLE_CLIP, '--gt', gt, '--classes', 'car', '--out', out]);
    expect(excluded.code).toBe(2);
    expect(excluded.stderr).toMatch(/--classes car excludes every ground-truth class of .*gt\.txt: person \(MOT class ids in column 8\)/);
    expect(existsSync(out)).toBe(false);
  });
});
