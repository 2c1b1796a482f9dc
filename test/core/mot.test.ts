import { describe, expect, it } from 'vitest';
import { formatMotRow, makeBox, parseMot, VirtualClock } from '../../src/core/index.js';

describe('MOT rows', () => {
  it('round-trips a result row', () => {
    const row = { frame: 3, id: 7, box: makeBox(10, 20, 40.5, 80), score: 0.91234, classOrX: -1, visibilityOrY: -1 };
    const line = formatMotRow(row);
    expect(line).toBe('3,7,10,20,30.50,60,0.9123,-1,-1,-1');
    const [back] = parseMot(line);
    expect(back.frame).toBe(3);
    expect(back.box).toEqual(makeBox(10, 20, 40.5, 80));
  });

  it('names the source and line of a malformed row', () => {
    expect(() => parseMot('1,1,0,0,10,10,1,1,1\n0,2,0,0,5,5', 'gt.txt')).toThrow(/gt\.txt:2: frame must be an integer ≥ 1/);
    expect(() => parseMot('1,1,a,0,10,10', 'gt.txt')).toThrow(/gt\.txt:1: expected "frame,id,x,y,w,h/);
  });
});

describe('VirtualClock', () => {
  it('only moves forward when told', () => {
    const c = new VirtualClock(5);
    expect(c.now()).toBe(5);
    c.advanceBy(10);
    expect(c.now()).toBe(15);
    expect(() => c.advanceTo(3)).toThrow(/cannot go back/);
  });
});
