import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { augmentSequence, interpolateMot, stepMot, transformMot } from '../../../src/controller/training/augment.js';
import { type DevelopmentSplit, augmentedTrainVideos } from '../../../src/controller/training/default-recipe.js';
import { offlineFrames } from '../../../src/pipeline/offline-frames.js';
import { probeSource } from '../../../src/video/index.js';
import { ffmpegPath } from '../../../src/video/ffmpeg-path.js';
import { SAMPLE_CLIP, tempDir, useTempCacheDir } from '../../pipeline/helpers.js';

useTempCacheDir();

/** A temporary sequence folder beside the sample clip: `gt.txt` with `rows` and a person seqinfo.ini at 7 fps. */
function sampleSequence(rows: string): { dir: string; gt: string } {
  const dir = tempDir('edgetrack-augment-');
  const gt = join(dir, 'gt.txt');
  writeFileSync(gt, rows);
  writeFileSync(join(dir, 'seqinfo.ini'), '[Sequence]\nname=sample\nframeRate=7\nobjectClass=person\n');
  return { dir, gt };
}

/** Mean absolute difference of two RGB frames over every 97th byte (which source frame is this one?). */
function diff(x: Uint8Array, y: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < x.length; i += 97) d += Math.abs(x[i] - y[i]);
  return d / (x.length / 97);
}

describe('transformMot', () => {
  it('maps boxes and keeps the other columns', () => {
    const text = '1,3,100,50,40,80,1,-1,1.0\n2,3,110,52,40,80,1,-1,1.0\n';
    expect(transformMot(text, { sx: 0.5, sy: 0.5, bx: 192, by: 144, clip: undefined })).toBe('1,3,242,169,20,40,1,-1,1.0\n2,3,247,170,20,40,1,-1,1.0\n');
  });

  it('clips to the frame and drops boxes keeping less than half their area', () => {
    // zoom-in of a 768x576 frame: crop (192,144)-(576,432) scaled by 2, x' = 2x − 384, y' = 2y − 288
    const m = { sx: 2, sy: 2, bx: -384, by: -288, clip: { w: 768, h: 576 } };
    const rows = [
      '1,1,200,150,50,100,1,-1,1', // inside: 16..116 × 12..212
      '1,2,560,150,40,100,1,-1,1', // 736..816: 32 of 80 px inside (40 %) → dropped
      '1,3,10,10,30,30,1,-1,1', // outside → dropped
      '1,4,180,150,40,100,1,-1,1', // -24..56: 56 of 80 px inside (70 %) → clipped
    ].join('\n');
    expect(transformMot(rows, m).trim().split('\n')).toEqual(['1,1,16,12,100,200,1,-1,1', '1,4,0,12,56,200,1,-1,1']);
  });
});

describe('stepMot', () => {
  it('keeps frames 1, 1 + step, … renumbered 1, 2, … and the other columns', () => {
    const rows = ['1,1,10,10,5,5,1,-1,1', '2,1,11,10,5,5,1,-1,1', '3,1,12,10,5,5,1,-1,1', '4,1,13,10,5,5,1,-1,1', '4,2,50,50,5,5,1,-1,1', '7,1,16,10,5,5,1,-1,1'].join('\n');
    expect(stepMot(rows, 3).trim().split('\n')).toEqual(['1,1,10,10,5,5,1,-1,1', '2,1,13,10,5,5,1,-1,1', '2,2,50,50,5,5,1,-1,1', '3,1,16,10,5,5,1,-1,1']);
    expect(stepMot(rows, 2).trim().split('\n').map((r) => r.split(',').slice(0, 3).join(','))).toEqual(['1,1,10', '2,1,12', '4,1,16']);
  });
});

describe('interpolateMot', () => {
  it('spreads source frames factor apart and interpolates the tracks present on both sides', () => {
    const rows = '1,1,10,10,6,6,1,-1,1\n1,2,50,50,5,5,1,-1,0.5\n2,1,16,13,9,6,1,-1,1\n3,1,22,16,12,6,1,-1,1\n';
    expect(interpolateMot(rows, 3, 100).trim().split('\n')).toEqual([
      '1,1,10,10,6,6,1,-1,1', '1,2,50,50,5,5,1,-1,0.5', // track 2 ends: not carried into frames 2–3
      '2,1,12,11,7,6,1,-1,1', '3,1,14,12,8,6,1,-1,1',
      '4,1,16,13,9,6,1,-1,1', '5,1,18,14,10,6,1,-1,1', '6,1,20,15,11,6,1,-1,1',
      '7,1,22,16,12,6,1,-1,1',
    ]);
    expect(interpolateMot(rows, 3, 5).trim().split('\n').map((r) => r.split(',')[0])).toEqual(['1', '1', '2', '3', '4', '5']);
    expect(interpolateMot(rows, 1, 100)).toBe(rows);
    expect(() => interpolateMot(rows, 1.5, 10)).toThrow(/factor must be an integer ≥ 1, got 1.5/);
  });
});

describe('augmentSequence', () => {
  it('builds a zoomed-out MOT sequence with ffmpeg once, then finds it in the cache', async () => {
    const { dir, gt } = sampleSequence('1,1,300,200,80,160,1,-1,1\n2,1,302,200,80,160,1,-1,1\n');
    const a = await augmentSequence({ name: 'sample', video: SAMPLE_CLIP, gt }, 'zoom-out');
    expect(a.name).toBe('sample+zoom-out');
    const info = await probeSource(a.video);
    expect([info.width, info.height]).toEqual([768, 576]);
    expect(readFileSync(a.gt!, 'utf8')).toBe('1,1,342,244,40,80,1,-1,1\n2,1,343,244,40,80,1,-1,1\n');
    expect(readFileSync(join(a.video, '..', 'seqinfo.ini'), 'utf8')).toMatch(/objectClass=person[\s\S]*imWidth=768/);
    // the border is grey, the picture is in the middle
    let first: Uint8Array | undefined;
    for await (const f of offlineFrames(a.video, 1)()) first = f.rgb;
    const px = (x: number, y: number): number[] => [...first!.subarray((y * 768 + x) * 3, (y * 768 + x) * 3 + 3)];
    for (const c of px(10, 10)) expect(Math.abs(c - 0x72)).toBeLessThan(6);
    const mtime = statSync(a.video).mtimeMs;
    const again = await augmentSequence({ name: 'sample', video: SAMPLE_CLIP, gt }, 'zoom-out');
    expect(again).toEqual(a);
    expect(statSync(a.video).mtimeMs).toBe(mtime);
    await expect(augmentSequence({ name: 'sample', video: SAMPLE_CLIP, gt }, 'mirror' as never)).rejects.toThrow(/augmentation: expected one of zoom-out, zoom-in, half-fps, third-fps, triple-fps, got "mirror"/);
    await expect(augmentSequence({ name: 'sample', video: join(dir, 'nope.mp4'), gt }, 'zoom-in')).rejects.toThrow(/nope\.mp4 is missing/);
  }, 120_000);
});

describe('augmentSequence third-fps', () => {
  it('keeps every 3rd frame at a third of the frame rate, with the ground truth of those frames', async () => {
    const { gt } = sampleSequence('1,1,300,200,80,160,1,-1,1\n2,1,302,200,80,160,1,-1,1\n4,1,306,200,80,160,1,-1,1\n');
    const source = await probeSource(SAMPLE_CLIP);
    const a = await augmentSequence({ name: 'sample', video: SAMPLE_CLIP, gt }, 'third-fps');
    expect(a.name).toBe('sample+third-fps');
    const info = await probeSource(a.video);
    expect([info.width, info.height]).toEqual([source.width, source.height]);
    expect(info.fps).toBeCloseTo(7 / 3, 3); // the sequence's rate (seqinfo.ini), not the container's
    const frames: Uint8Array[] = [];
    for await (const f of offlineFrames(a.video)()) frames.push(f.rgb);
    const all: Uint8Array[] = [];
    for await (const f of offlineFrames(SAMPLE_CLIP)()) all.push(f.rgb);
    expect(frames.length).toBe(Math.ceil(all.length / 3));
    // frame k of the augmented video is frame 3k of the source (up to the re-encoding)
    expect(diff(frames[1], all[3])).toBeLessThan(diff(frames[1], all[2]));
    expect(diff(frames[1], all[3])).toBeLessThan(diff(frames[1], all[4]));
    expect(readFileSync(a.gt!, 'utf8')).toBe('1,1,300,200,80,160,1,-1,1\n2,1,306,200,80,160,1,-1,1\n');
    const ini = readFileSync(join(a.video, '..', 'seqinfo.ini'), 'utf8');
    expect(ini).toMatch(/objectClass=person/);
    expect(ini).toContain(`frameRate=${7 / 3}\n`);
    expect(ini).toContain(`seqLength=${frames.length}\n`);
  }, 120_000);
});

describe('augmentSequence triple-fps', () => {
  it('interpolates two frames between every pair, at three times the sequence frame rate, with interpolated ground truth', async () => {
    const { dir, gt } = sampleSequence('1,1,300,200,80,160,1,-1,1\n2,1,306,200,80,160,1,-1,1\n');
    // the first 12 frames of the sample clip (interpolation costs ~0.1 s a frame)
    const short = join(dir, 'short.mp4');
    const cut = spawnSync(ffmpegPath(), ['-v', 'error', '-i', SAMPLE_CLIP, '-frames:v', '12', '-c:v', 'libx264', '-crf', '12', '-pix_fmt', 'yuv420p', short]);
    expect(cut.status, cut.stderr?.toString()).toBe(0);
    const a = await augmentSequence({ name: 'sample', video: short, gt }, 'triple-fps');
    expect(a.name).toBe('sample+triple-fps');
    const all: Uint8Array[] = [];
    for await (const f of offlineFrames(short)()) all.push(f.rgb);
    expect(all.length).toBe(12);
    const frames: Uint8Array[] = [];
    for await (const f of offlineFrames(a.video)()) frames.push(f.rgb);
    // minterpolate loses the last frames of the pairs it cannot look past; the sequence says how many it has
    expect(frames.length).toBeLessThanOrEqual(3 * (all.length - 1) + 1);
    expect(frames.length).toBeGreaterThanOrEqual(3 * (all.length - 3) + 1);
    // frame 3k is source frame k; frame 3k+1 lies between source frames k and k+1
    expect(diff(frames[6], all[2])).toBeLessThan(diff(frames[6], all[1]));
    expect(diff(frames[6], all[2])).toBeLessThan(diff(frames[6], all[3]));
    expect(diff(frames[6], all[2])).toBeLessThan(diff(frames[7], all[2]));
    expect(readFileSync(a.gt!, 'utf8')).toBe('1,1,300,200,80,160,1,-1,1\n2,1,302,200,80,160,1,-1,1\n3,1,304,200,80,160,1,-1,1\n4,1,306,200,80,160,1,-1,1\n');
    const ini = readFileSync(join(a.video, '..', 'seqinfo.ini'), 'utf8');
    expect(ini).toContain('frameRate=21\n');
    expect(ini).toContain(`seqLength=${frames.length}\n`);
  }, 180_000);

  it('chains: the recipe list may name an augmented sequence listed before it as a source', async () => {
    const { gt } = sampleSequence('1,1,300,200,80,160,1,-1,1\n2,1,302,200,80,160,1,-1,1\n4,1,306,200,80,160,1,-1,1\n');
    const split = { trainVideos: [{ name: 'sample', video: SAMPLE_CLIP, gt }], testVideos: [], trainTraces: [], valTraces: [], testTraces: [] } as DevelopmentSplit;
    const [zoomed, chained] = await augmentedTrainVideos(split, [['sample', 'zoom-in'], ['sample+zoom-in', 'third-fps']]);
    expect(chained.name).toBe('sample+zoom-in+third-fps');
    expect(readFileSync(chained.gt!, 'utf8')).toBe(`${readFileSync(zoomed.gt!, 'utf8').trim().split('\n').filter((r) => ['1', '4'].includes(r.split(',')[0])).map((r) => r.replace(/^4,/, '2,')).join('\n')}\n`);
    await expect(augmentedTrainVideos(split, [['sample+zoom-out', 'third-fps']])).rejects.toThrow(/sample\+zoom-out is not a training sequence \(or an earlier augmented one\)/);
  }, 180_000);
});
