import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../src/core/index.js';
import { runPipeline } from '../../src/pipeline/index.js';
import { fileFrames, probeVideo } from '../../src/video/index.js';
import { SAMPLE_CLIP, readRows, removeTempDirs, tempDir } from './helpers.js';

afterAll(() => removeTempDirs());

/** Decodes frame `index` (0-based) of a video file. */
async function decodeFrame(path: string, index: number): Promise<Frame> {
  for await (const f of fileFrames(path, { startFrame: index, endFrame: index + 1 })) return f;
  throw new Error(`${path}: no frame ${index}`);
}

/** Mean absolute RGB difference of two frames over the pixels where `mask(x, y)` holds. */
function meanAbsDiff(a: Frame, b: Frame, mask: (x: number, y: number) => boolean): { diff: number; pixels: number } {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      if (!mask(x, y)) continue;
      const o = (y * a.width + x) * 3;
      sum += Math.abs(a.rgb[o] - b.rgb[o]) + Math.abs(a.rgb[o + 1] - b.rgb[o + 1]) + Math.abs(a.rgb[o + 2] - b.rgb[o + 2]);
      n++;
    }
  }
  return { diff: sum / (3 * n), pixels: n };
}

describe('annotated.mp4', () => {
  it('has one video frame per row, and shows the tracked boxes: pixels differ from the input on box outlines only', async () => {
    const r = await runPipeline({
      input: SAMPLE_CLIP, policy: 'periodic:5', trace: 'wifi-good', maxFrames: 30, annotate: true, noEval: true, outDir: tempDir(),
    });
    expect(r.files.annotated).toBeDefined();
    const info = await probeVideo(r.files.annotated!);
    expect(info.frameCount).toBe(r.frames);
    expect(readRows(r.files.frames).length).toBe(info.frameCount);
    expect([info.width, info.height]).toEqual([r.width, r.height]);

    // the boxes written to tracks.txt for the last frame are what must be drawn on it
    const k = r.frames - 1;
    const boxes = readFileSync(r.files.tracks, 'utf8').split('\n').filter(Boolean).map((l) => l.split(',').map(Number))
      .filter((v) => v[0] === k + 1).map(([, , x, y, w, h]) => ({ x1: Math.round(x), y1: Math.round(y), x2: Math.round(x + w), y2: Math.round(y + h) }));
    expect(boxes.length).toBeGreaterThan(2);
    const input = await decodeFrame(SAMPLE_CLIP, k);
    const annotated = await decodeFrame(r.files.annotated!, k);

    // left edge of every box, 2 px wide, away from the corners (labels sit above the top edge)
    const onLeftEdges = (x: number, y: number) => boxes.some((b) => x >= b.x1 && x < b.x1 + 2 && y > b.y1 + 4 && y < b.y2 - 4);
    // far from every box (labels included) and below the caption strip
    const farFromBoxes = (x: number, y: number) => y > 40 && boxes.every((b) => x < b.x1 - 12 || x > b.x2 + 12 || y < b.y1 - 40 || y > b.y2 + 12);
    const edges = meanAbsDiff(annotated, input, onLeftEdges);
    const background = meanAbsDiff(annotated, input, farFromBoxes);
    expect(edges.pixels).toBeGreaterThan(100);
    expect(background.pixels).toBeGreaterThan(100_000);
    // the background is the input frame up to re-encoding noise (measured ≈ 5 levels); the outlines
    // are painted over it (measured ≈ 100 levels)
    expect(background.diff).toBeLessThan(10);
    expect(edges.diff).toBeGreaterThan(40);
    expect(edges.diff).toBeGreaterThan(5 * background.diff);
  });
});
