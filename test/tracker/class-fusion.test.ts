import { afterEach, describe, expect, it } from 'vitest';
import { makeBox, makeDetection } from '../../src/core/index.js';
import { addEvidence, fuseClassConfusions, strongestClass } from '../../src/tracker/class-fusion.js';
import { matchAcrossClasses } from '../../src/tracker/matching.js';
import { MultiTracker, type TrackerOptions } from '../../src/tracker/index.js';
import { renderScene } from '../../src/video/synthetic/scene.js';

const swan = makeBox(100, 100, 200, 180);
const BIRD = 14;
const DOG = 16;

describe('fuseClassConfusions', () => {
  it('labels of different classes on one box each get the noisy-or of their scores; boxes, labels and order are kept', () => {
    const dog = makeDetection(makeBox(102, 101, 201, 182), 0.3, DOG);
    const fused = fuseClassConfusions([dog, makeDetection(swan, 0.45, BIRD)], 0.7);
    expect(fused.map((d) => d.classId)).toEqual([DOG, BIRD]);
    expect(fused[0].box).toEqual(dog.box);
    expect(fused[1].box).toEqual(swan);
    for (const d of fused) expect(d.score).toBeCloseTo(1 - 0.55 * 0.7, 12);
  });

  it('leaves alone two detections of one class, boxes that overlap less than minIou, and everything when minIou > 1', () => {
    const twoBirds = fuseClassConfusions([makeDetection(swan, 0.6, BIRD), makeDetection(swan, 0.4, BIRD)], 0.7);
    expect(twoBirds.map((d) => d.score)).toEqual([0.6, 0.4]);
    const apart = fuseClassConfusions([makeDetection(swan, 0.6, BIRD), makeDetection(makeBox(150, 100, 250, 180), 0.4, DOG)], 0.7);
    expect(apart.map((d) => d.score)).toEqual([0.6, 0.4]);
    const off = fuseClassConfusions([makeDetection(swan, 0.45, BIRD), makeDetection(swan, 0.3, DOG)], 2);
    expect(off.map((d) => d.score)).toEqual([0.45, 0.3]);
  });

  it('leaves a group alone when its strongest label scores below minLeadScore', () => {
    const faint = [makeDetection(swan, 0.35, 0), makeDetection(swan, 0.3, 12)];
    expect(fuseClassConfusions(faint, 0.7, 0.4).map((d) => d.score)).toEqual([0.35, 0.3]);
    expect(fuseClassConfusions(faint, 0.7, 0.35).map((d) => d.score)).toEqual([0.545, 0.545].map((x) => expect.closeTo(x, 12)));
  });

  it('a group takes one detection per class; a second detection of a class already in it is left out', () => {
    const fused = fuseClassConfusions([
      makeDetection(swan, 0.5, BIRD), makeDetection(swan, 0.4, DOG), makeDetection(swan, 0.2, 0), makeDetection(swan, 0.3, DOG),
    ], 0.7);
    const group = 1 - 0.5 * 0.6 * 0.8;
    expect(fused.map((d) => d.score)).toEqual([group, group, group, 0.3].map((x) => expect.closeTo(x, 12)));
  });
});

describe('class evidence', () => {
  it('decays the old evidence by the memory and adds the new; the strongest class wins, ties to the lower id', () => {
    const e1 = addEvidence(undefined, BIRD, 0.5, 0.9);
    const e2 = addEvidence(e1, DOG, 0.4, 0.9);
    expect(e2.get(BIRD)).toBeCloseTo(0.45, 12);
    expect(strongestClass(e2, -1)).toBe(BIRD);
    expect(strongestClass(addEvidence(e2, DOG, 0.2, 0.9), -1)).toBe(DOG);
    expect(strongestClass(new Map([[DOG, 0.5], [BIRD, 0.5]]), -1)).toBe(BIRD);
    expect(strongestClass(new Map(), 7)).toBe(7);
  });
});

describe('matchAcrossClasses', () => {
  const track = { box: swan, classId: BIRD };
  it('matches within a class first, then what is left across classes at crossClassIou', () => {
    const dets = [{ box: makeBox(104, 102, 204, 182), classId: DOG }, { box: makeBox(300, 300, 340, 340), classId: BIRD }];
    expect(matchAcrossClasses([track], dets, 0.3, 0.5).pairs.map((p) => [p.track, p.det])).toEqual([[0, 0]]);
    expect(matchAcrossClasses([track], dets, 0.3, 2).pairs).toEqual([]);
    // Overlap 0.33: enough at 0.3, not at 0.5.
    const shifted = [{ box: makeBox(150, 100, 250, 180), classId: DOG }];
    expect(matchAcrossClasses([track], shifted, 0.3, 0.5).unmatchedDets).toEqual([0]);
    expect(matchAcrossClasses([track], shifted, 0.3, 0.3).pairs).toHaveLength(1);
    // A detection of the track's own class takes it first, the other label stays unmatched.
    const both = [{ box: swan, classId: DOG }, { box: makeBox(101, 100, 201, 180), classId: BIRD }];
    const m = matchAcrossClasses([track], both, 0.3, 0.3);
    expect(m.pairs.map((p) => p.det)).toEqual([1]);
    expect(m.unmatchedDets).toEqual([0]);
  });
});

describe('MultiTracker with class fusion', () => {
  const open: MultiTracker[] = [];
  afterEach(() => {
    for (const t of open.splice(0)) t.close();
  });
  async function firstTracks(options: Partial<TrackerOptions>) {
    const tr = await MultiTracker.create(options);
    open.push(tr);
    const [f] = [...renderScene('translate', { frames: 1 }).frames()];
    tr.update(f.frame);
    const box = f.truth[0].box;
    return tr.correct(0, [makeDetection(box, 0.45, BIRD), makeDetection(box, 0.3, DOG)], { kind: 'off' }).tracks;
  }

  it('an object the detector labels two ways, each below minNewTrackScore, gets tracks under both labels', async () => {
    const tracks = await firstTracks({ classFusion: true });
    expect(tracks.map((t) => t.classId)).toEqual([BIRD, DOG]);
    for (const t of tracks) expect(t.score).toBeCloseTo(0.615, 12);
  });

  it('without class fusion (the default) neither label starts a track', async () => {
    expect(await firstTracks({})).toEqual([]);
  });

  it('rejects option values outside their ranges, naming the field', async () => {
    await expect(MultiTracker.create({ classFusion: 'yes' as unknown as boolean })).rejects.toThrow(/classFusion: expected a boolean/);
    await expect(MultiTracker.create({ classFusionIou: 0 })).rejects.toThrow(/classFusionIou/);
    await expect(MultiTracker.create({ crossClassMatchIou: 1.5 })).rejects.toThrow(/crossClassMatchIou/);
    await expect(MultiTracker.create({ classMemory: 1 })).rejects.toThrow(/classMemory/);
    await expect(MultiTracker.create({ classFusionMinScore: 1.5 })).rejects.toThrow(/classFusionMinScore/);
  });
});
