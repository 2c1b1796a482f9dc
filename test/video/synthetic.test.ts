import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMot } from '../../src/core/index.js';
import { fileSource, probeVideo } from '../../src/video/index.js';
import { renderScene } from '../../src/video/synthetic/scene.js';
import { runSyntheticCli } from '../../src/video/synthetic/cli.js';
import { writeSyntheticClip } from '../../src/video/synthetic/write-clip.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('synthetic clips', () => {
  it('writes an mp4 whose frames match the rendered scene and MOT ground truth aligned to it', async () => {
    const clip = await writeSyntheticClip('cross', tmp.dir, { frames: 12, width: 128, height: 96, fps: 15 });
    expect(await probeVideo(clip.video)).toMatchObject({ frameCount: 12, width: 128, height: 96, fps: 15 });
    const rows = parseMot(readFileSync(clip.groundTruth, 'utf8'));
    const scene = [...renderScene('cross', { frames: 12, width: 128, height: 96, fps: 15 }).frames()];
    expect(rows).toHaveLength(24);
    for (const r of rows) {
      const truth = scene[r.frame - 1].truth.find((t) => t.id === r.id)!;
      expect(r.box.x1).toBeCloseTo(truth.box.x1, 1);
      expect(r.box.y2).toBeCloseTo(truth.box.y2, 1);
    }
    const decoded = await lastValueFrom(fileSource(clip.video).pipe(toArray()));
    expect(decoded).toHaveLength(12);
    for (const k of [0, 6, 11]) {
      let diff = 0;
      for (let i = 0; i < decoded[k].rgb.length; i++) diff += Math.abs(decoded[k].rgb[i] - scene[k].frame.rgb[i]);
      expect(diff / decoded[k].rgb.length, `frame ${k}`).toBeLessThan(8);
    }
  });

  it('CLI writes the requested scenarios and rejects a bad one with exit code 2', async () => {
    const out = join(tmp.dir, 'cli');
    expect(await runSyntheticCli(['--out', out, '--scenario', 'translate', '--frames', '5', '--width', '64', '--height', '48'])).toBe(0);
    expect((await probeVideo(join(out, 'translate.mp4'))).frameCount).toBe(5);
    expect(parseMot(readFileSync(join(out, 'translate.gt.txt'), 'utf8')).map((r) => r.frame)).toEqual([1, 2, 3, 4, 5]);
    let usage = ''; // kept out of the test output
    expect(await runSyntheticCli(['--out', out, '--scenario', 'teleport'], (t) => (usage += t))).toBe(2);
    expect(usage).toMatch(/--scenario <name>' argument 'teleport' is invalid\. expected one of translate/);
  });
});
