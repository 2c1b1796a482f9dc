import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBox, parseMot, type Track } from '../../src/core/index.js';
import { loadMotGroundTruth, motRowsToGroundTruth, motRowsToPredictions, oracleGroundTruth, tracksToPredictions } from '../../src/eval/index.js';

const dir = mkdtempSync(join(tmpdir(), 'edgetrack-gt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MOT ground truth', () => {
  it('maps MOT frame n+1 to 0-based frame n, drops conf 0 rows, sets the class', () => {
    const path = join(dir, 'gt.txt');
    writeFileSync(path, ['1,1,10,20,30,40,1,-1,-1,-1', '1,2,0,0,5,5,0,-1,-1,-1', '3,1,12,20,30,40,1,-1,-1,-1'].join('\n'));
    const gt = loadMotGroundTruth(path);
    expect([...gt.keys()]).toEqual([0, 2]);
    expect(gt.get(0)).toEqual([{ box: makeBox(10, 20, 40, 60), classId: 0, id: 1 }]);
    expect(loadMotGroundTruth(path, { onlyConsidered: false }).get(0)).toHaveLength(2);
    expect(loadMotGroundTruth(path, { classId: 3 }).get(2)![0].classId).toBe(3);
  });

  it('MOT17 class and visibility filters; visibility on a MOT15 file is an error', () => {
    const rows = parseMot(['1,1,0,0,10,10,1,1,0.9', '1,2,0,0,10,10,1,1,0.1', '1,3,0,0,10,10,1,7,1.0'].join('\n'));
    expect(motRowsToGroundTruth(rows, { motClasses: [1], minVisibility: 0.25 }).get(0)!.map((r) => r.id)).toEqual([1]);
    const mot15 = parseMot('1,9,499,158,31.03,75.17,1,-4.1554,-7.3591,0');
    expect(() => motRowsToGroundTruth(mot15, { minVisibility: 0.5 })).toThrow(/not a visibility in \[0, 1\]/);
  });

  it('tracker output rows and tracks become predictions', () => {
    const preds = motRowsToPredictions(parseMot('2,5,1,2,3,4,0.75,-1,-1,-1'));
    expect(preds.get(1)).toEqual([{ box: makeBox(1, 2, 4, 6), score: 0.75, classId: 0 }]);
    const t = (id: number, state: Track['state']): Track => ({
      id, box: makeBox(0, 0, 1, 1), classId: 0, score: 0.8, confidence: 0.5, age: 0, lastDetectedFrame: 0, state,
    });
    const tracks = new Map([[0, [t(1, 'tracked'), t(2, 'lost')]]]);
    expect(tracksToPredictions(tracks).get(0)!.map((x) => x.score)).toEqual([0.8]);
    expect(tracksToPredictions(tracks, { scoreFrom: 'product', includeLost: true }).get(0)!.map((x) => x.score)).toEqual([0.4, 0.4]);
    expect(() => tracksToPredictions(tracks, { scoreFrom: 'x' as 'score' })).toThrow(/scoreFrom: expected/);
  });
});

describe('oracleGroundTruth', () => {
  it('keeps detections with score ≥ minScore (default 0.4) and the listed classes; every frame stays present', () => {
    const d = (score: number, classId: number) => ({ box: makeBox(0, 0, 10, 10), score, classId });
    const dets = new Map([[0, [d(0.9, 0), d(0.39, 0), d(0.4, 2)]], [1, [d(0.1, 0)]]]);
    expect(oracleGroundTruth(dets).get(0)!.map((g) => g.classId)).toEqual([0, 2]);
    expect(oracleGroundTruth(dets).get(1)).toEqual([]);
    expect(oracleGroundTruth(dets, { minScore: 0.95 }).get(0)).toEqual([]);
    expect(oracleGroundTruth(dets, { classes: [0] }).get(0)).toHaveLength(1);
    expect(() => oracleGroundTruth(dets, { minScore: 2 })).toThrow(/minScore: expected a number in \[0, 1\], got 2/);
  });
});

const SHARED = fileURLToPath(new URL('../../../shared', import.meta.url));
const PETS = join(SHARED, 'data/sequences/PETS09-S2L1/gt.txt');
describe.skipIf(!existsSync(PETS))('PETS09-S2L1 gt.txt (needs ../shared; skipped when absent)', () => {
  it('loads 4,650 rows (4,476 with conf 1) on 795 frames; ground truth scores itself mAR 1', async () => {
    const { evaluateDetections } = await import('../../src/eval/index.js');
    const gt = loadMotGroundTruth(PETS);
    let n = 0;
    for (const list of gt.values()) n += list.length;
    expect(n).toBe(4476); // 174 rows have column 7 = 0 ("do not consider")
    let all = 0;
    for (const list of loadMotGroundTruth(PETS, { onlyConsidered: false }).values()) all += list.length;
    expect(all).toBe(4650);
    expect(Math.max(...gt.keys())).toBe(794);
    const asPreds = new Map([...gt].map(([f, l]) => [f, l.map((x) => ({ box: x.box, score: 1, classId: x.classId }))]));
    const m = evaluateDetections(gt, asPreds, { frames: 795 });
    expect(m.mar).toBe(1);
    expect(m.precision).toBe(1);
  });
});
