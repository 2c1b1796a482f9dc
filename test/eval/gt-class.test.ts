import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError, makeBox, parseClassList, parseMot } from '../../src/core/index.js';
import { classifyGroundTruth, findSeqInfo, hasMotClassColumn, loadClassedGroundTruth, parseSeqInfo, scoreTracks } from '../../src/eval/index.js';

const rows = (text: string) => parseMot(text, 'gt.txt');
const classesOf = (m: Map<number, { classId: number }[]>) => [...m.values()].flat().map((b) => b.classId);

describe('parseClassList', () => {
  it('takes names and ids, sorted and distinct', () => {
    expect(parseClassList('car, person,0,Traffic Light')).toEqual([0, 2, 9]);
  });
  it('refuses unknown names, ids ≥ 80 and an empty list, listing every valid name', () => {
    expect(() => parseClassList('persn,car')).toThrow(ValidationError);
    expect(() => parseClassList('persn,car')).toThrow(/--classes: .*got unknown "persn"\. Valid names: person, bicycle, car, .*toothbrush/);
    expect(() => parseClassList('80')).toThrow(/unknown "80"/);
    expect(() => parseClassList(' , ', '--gt-class')).toThrow(/--gt-class: .*got an empty list/);
  });
});

describe('seqinfo.ini', () => {
  it('reads the [Sequence] section and ignores others and comments', () => {
    const info = parseSeqInfo('; c\n[Sequence]\nname=cows\nobjectClass = cow\n[Other]\nobjectClass=car\n');
    expect(info).toEqual({ name: 'cows', objectClass: 'cow' });
  });
  it('is found beside gt.txt, or one level up for SEQ/gt/gt.txt only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqinfo-'));
    mkdirSync(join(dir, 'gt'));
    writeFileSync(join(dir, 'seqinfo.ini'), '[Sequence]\nobjectClass=car\n');
    expect(findSeqInfo(join(dir, 'gt', 'gt.txt'))?.info.objectClass).toBe('car');
    mkdirSync(join(dir, 'flat'));
    expect(findSeqInfo(join(dir, 'flat', 'gt.txt'))).toBeUndefined();
  });
});

describe('class of the ground truth', () => {
  const mot15 = '1,1,10,10,20,20,1,-4.15,-7.35,0\n2,1,12,10,20,20,1,-4.2,-7.3,0\n';
  const mot17 = '1,1,10,10,20,20,1,1,1.0\n1,2,50,10,20,20,1,3,0.8\n1,3,90,10,20,20,1,8,1\n1,4,90,90,20,20,0,3,1\n';

  it('MOT15 files (world coordinates in column 8) are not read as classes: person by default', () => {
    expect(hasMotClassColumn(rows(mot15))).toBe(false);
    const g = classifyGroundTruth(rows(mot15), 'gt.txt');
    expect(g.source).toBe('default');
    expect(g.classIds).toEqual([0]);
    expect(g.description).toMatch(/^person \(default/);
  });

  it('column 8 MOT class ids map to COCO (1 → person, 3 → car); unmapped ones (8 distractor) and column 7 = 0 are dropped', () => {
    const g = classifyGroundTruth(rows(mot17), 'gt.txt');
    expect(g.source).toBe('mot-column-8');
    expect(g.classIds).toEqual([0, 2]);
    expect(classesOf(g.boxes)).toEqual([0, 2]);
  });

  it('seqinfo.ini objectClass wins over column 8 and keeps only its rows', () => {
    const g = classifyGroundTruth(rows(mot17), 'gt.txt', { seqinfo: { path: 'seqinfo.ini', objectClass: 'car' } });
    expect(g.source).toBe('seqinfo');
    expect(classesOf(g.boxes)).toEqual([2]);
    expect(g.description).toBe('car (objectClass in seqinfo.ini)');
  });

  it('--gt-class wins over seqinfo.ini; on a MOT15 file every box takes it', () => {
    const g = classifyGroundTruth(rows(mot15), 'gt.txt', { gtClass: 'cow', seqinfo: { path: 's.ini', objectClass: 'car' } });
    expect(g.source).toBe('flag');
    expect(classesOf(g.boxes)).toEqual([19, 19]);
  });

  it('a gt.txt with no box of the scored class is refused, naming what it holds', () => {
    expect(() => classifyGroundTruth(rows(mot17), 'gt.txt', { gtClass: 'bicycle' }))
      .toThrow(/gt\.txt: no box of class bicycle \(from --gt-class\); column 8 holds 1 rows of MOT class 1 \(person\), 1 rows of MOT class 3 \(car\), 1 rows of MOT class 8 \(no COCO class\)/);
    expect(() => classifyGroundTruth(rows('1,1,1,1,5,5,1,9,1\n'), 'gt.txt')).toThrow(/none has a COCO class/);
    expect(() => classifyGroundTruth(rows('1,1,1,1,5,5,0,-1,-1\n'), 'gt.txt')).toThrow(/no ground-truth box to score/);
  });

  it('--classes must include a ground-truth class; it narrows several to the listed ones', () => {
    expect(() => classifyGroundTruth(rows(mot15), 'gt.txt', { classes: [2] }))
      .toThrow(/--classes car excludes every ground-truth class of gt\.txt: person/);
    const g = classifyGroundTruth(rows(mot17), 'gt.txt', { classes: [2, 5] });
    expect(g.classIds).toEqual([2]);
    expect(classesOf(g.boxes)).toEqual([2]);
  });

  it('a bad --gt-class or objectClass name is refused with the valid names', () => {
    expect(() => classifyGroundTruth(rows(mot15), 'gt.txt', { gtClass: 'cat,dgo' })).toThrow(/--gt-class: .*unknown "dgo".*Valid names/);
    expect(() => classifyGroundTruth(rows(mot15), 'gt.txt', { seqinfo: { path: 'x/seqinfo.ini', objectClass: 'cattle' } }))
      .toThrow(/objectClass in x\/seqinfo\.ini: .*unknown "cattle"/);
  });

  it('loadClassedGroundTruth finds the seqinfo.ini beside gt.txt', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gtclass-'));
    writeFileSync(join(dir, 'gt.txt'), mot15);
    writeFileSync(join(dir, 'seqinfo.ini'), '[Sequence]\nobjectClass=dog\n');
    const g = loadClassedGroundTruth(join(dir, 'gt.txt'));
    expect(g.classIds).toEqual([16]);
    expect(g.source).toBe('seqinfo');
  });
});

describe('scoreTracks', () => {
  const box = makeBox(0, 0, 10, 10);
  const gt = new Map([[0, [{ box, classId: 19, id: 1 }]], [1, [{ box, classId: 19, id: 1 }]]]);

  it('scores tracks of the scored class, detection and tracking metrics', () => {
    const preds = new Map([[0, [{ box, id: 5, score: 0.9, classId: 19 }]], [1, [{ box, id: 5, score: 0.9, classId: 19 }]]]);
    const s = scoreTracks(gt, [19], preds);
    expect(s.detection.mar).toBe(1);
    expect(s.tracking?.hota.hota).toBeCloseTo(1, 12);
    expect(s.warnings).toEqual([]);
  });

  it('says loudly when no predicted box has the scored class, naming the classes that were tracked', () => {
    const preds = new Map([[0, [{ box, id: 5, score: 0.9, classId: 0 }]], [1, [{ box, id: 5, score: 0.9, classId: 0 }]]]);
    const s = scoreTracks(gt, [19], preds);
    expect(s.detection.mar).toBe(0);
    expect(s.tracking?.clear.fn).toBe(2);
    expect(s.warnings).toEqual([expect.stringMatching(/no predicted box has the scored class cow: .*predicted classes: person ×2/)]);
  });

  it('tracks without a class (other trackers\' MOT output) count as the one scored class, and are refused with several', () => {
    const preds = new Map([[0, [{ box, id: 5, score: 1 }]]]);
    expect(scoreTracks(gt, [19], preds, { frames: 1 }).detection.mar).toBe(1);
    expect(() => scoreTracks(gt, [0, 19], preds)).toThrow(/carry no class/);
  });
});
