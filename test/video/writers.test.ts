import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBox, makeFrame, parseMot, type Track } from '../../src/core/index.js';
import {
  AnnotatedVideoWriter, colorForId, drawText, fileSource, JsonlWriter, MotWriter, parseJsonl, probeVideo,
  trackAnnotations, VideoError,
} from '../../src/video/index.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const track = (id: number, x: number, y: number, score = 0.9): Track => ({
  id, box: makeBox(x, y, x + 20, y + 30), classId: 0, score, confidence: 1, age: 0, lastDetectedFrame: 0, state: 'tracked',
});

/** Objects without a class (ground truth) keep −1 in column 8. */
async function w2(path: string): Promise<void> {
  const w = new MotWriter(path);
  await w.write(0, [{ id: 3, box: makeBox(0, 0, 5, 5) }]);
  await w.close();
  expect(readFileSync(path, 'utf8')).toBe('1,3,0,0,5,5,1,-1,-1,-1\n');
}

describe('MotWriter', () => {
  it('round-trips through parseMot with 1-based frames', async () => {
    const path = join(tmp.dir, 'sub', 'out.txt');
    const w = new MotWriter(path);
    await w.write(0, [track(1, 10, 20), track(2, 30.5, 40.25, 0.5)]);
    await w.write(1, []);
    await w.write(2, [track(1, 12, 21)]);
    await w.close();
    await w.close(); // idempotent
    const text = readFileSync(path, 'utf8');
    // column 8 = 0-based COCO class of the track (person = 0), docs/metrics.md
    expect(text.split('\n')[0]).toBe('1,1,10,20,20,30,0.9000,0,-1,-1');
    const rows = parseMot(text);
    expect(rows.map((r) => [r.frame, r.id, r.box.x1, r.box.y1, r.box.x2, r.box.y2, r.score])).toEqual([
      [1, 1, 10, 20, 30, 50, 0.9], [1, 2, 30.5, 40.25, 50.5, 70.25, 0.5], [3, 1, 12, 21, 32, 51, 0.9],
    ]);
    expect(rows.map((r) => r.classOrX)).toEqual([0, 0, 0]);
    await w2(join(tmp.dir, 'sub', 'noclass.txt'));
    expect(w.rows).toBe(3);
    await expect(w.write(3, [track(1, 0, 0)])).rejects.toThrow(VideoError);
  });

  it('handles many rows with backpressure', async () => {
    const path = join(tmp.dir, 'many.txt');
    const w = new MotWriter(path);
    for (let f = 0; f < 2000; f++) await w.write(f, Array.from({ length: 10 }, (_, k) => track(k + 1, k * 30, f % 100)));
    await w.close();
    const rows = parseMot(readFileSync(path, 'utf8'));
    expect(rows).toHaveLength(20000);
    expect(rows[rows.length - 1].frame).toBe(2000);
  });
});

describe('JsonlWriter', () => {
  it('round-trips records', async () => {
    const path = join(tmp.dir, 'out.jsonl');
    const w = new JsonlWriter<{ frame: number; tracks: Track[] }>(path);
    const records = [{ frame: 0, tracks: [track(1, 1, 2)] }, { frame: 1, tracks: [] }];
    for (const r of records) await w.write(r);
    await Promise.all([w.close(), w.close()]);
    expect(parseJsonl(readFileSync(path, 'utf8'))).toEqual(JSON.parse(JSON.stringify(records)));
    expect(w.records).toBe(2);
    await expect(w.write({ frame: 2, tracks: [] })).rejects.toThrow(/closed/);
  });

  it('names the line of bad JSONL', () => {
    expect(() => parseJsonl('{"a":1}\n{oops\n', 'x.jsonl')).toThrow(/x\.jsonl:2/);
  });
});

describe('drawText', () => {
  it('draws the 5×7 glyph of "1" pixel by pixel', () => {
    const img = { width: 8, height: 8, rgb: new Uint8Array(8 * 8 * 3) };
    drawText(img, 0, 0, '1', [255, 255, 255], 1);
    const rows = Array.from({ length: 7 }, (_, y) => Array.from({ length: 5 }, (_, x) => (img.rgb[(y * 8 + x) * 3] ? '#' : '.')).join(''));
    expect(rows).toEqual(['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.']);
  });
});

describe('AnnotatedVideoWriter', () => {
  it('writes a playable H.264 mp4 with the right frame count and boxes drawn in the track colour', async () => {
    const path = join(tmp.dir, 'annotated.mp4');
    const W = 160;
    const H = 120;
    const w = new AnnotatedVideoWriter(path, { fps: 10, crf: 12 });
    const grey = new Uint8Array(W * H * 3).fill(128);
    const frames = Array.from({ length: 15 }, (_, i) => makeFrame(i, i * 100, W, H, grey));
    for (const f of frames) await w.write(f, trackAnnotations([track(3, 40, 40 + f.index)]), `F ${f.index}`);
    await w.close();
    await w.close();
    expect(grey.every((v) => v === 128)).toBe(true); // input frames untouched
    const info = await probeVideo(path);
    expect(info).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: W, height: H, frameCount: 15, fps: 10 });
    const decoded = await lastValueFrom(fileSource(path).pipe(toArray()));
    expect(decoded).toHaveLength(15);
    const [r, g, b] = colorForId(3);
    // Left edge of the box at frame 5 (x=40, y≈60) is drawn in the id colour; the interior stays grey.
    const f = decoded[5];
    const at = (x: number, y: number) => Array.from(f.rgb.subarray((y * W + x) * 3, (y * W + x) * 3 + 3));
    const edge = at(40, 60);
    expect(Math.abs(edge[0] - r) + Math.abs(edge[1] - g) + Math.abs(edge[2] - b)).toBeLessThan(60);
    const inside = at(50, 60);
    expect(inside.every((v) => Math.abs(v - 128) < 10)).toBe(true);
    // caption background is black
    expect(at(0, 0).every((v) => v < 30)).toBe(true);
  });

  it('rejects frames of another size and writes after close', async () => {
    const path = join(tmp.dir, 'bad.mp4');
    const w = new AnnotatedVideoWriter(path, { fps: 5 });
    await w.write(makeFrame(0, 0, 32, 32, new Uint8Array(32 * 32 * 3)));
    await expect(w.write(makeFrame(1, 200, 16, 16, new Uint8Array(16 * 16 * 3)))).rejects.toThrow(/16x16, expected 32x32/);
    await w.close();
    await expect(w.write(makeFrame(2, 400, 32, 32, new Uint8Array(32 * 32 * 3)))).rejects.toThrow(/closed/);
    expect((await probeVideo(path)).frameCount).toBe(1);
  });

  it('validates options', () => {
    expect(() => new AnnotatedVideoWriter('x.mp4', { fps: 0 })).toThrow(/fps: expected a number > 0, got 0/);
    expect(() => new AnnotatedVideoWriter('x.mp4', { fps: 10, crf: 60 })).toThrow(/crf/);
  });

  it('reports encoder failure with the path and ffmpeg stderr tail', async () => {
    // The parent "folder" is an existing file: mkdir fails before ffmpeg starts.
    const w = new AnnotatedVideoWriter(join(tmp.dir, 'annotated.mp4', 'x.mp4'), { fps: 5 });
    const write = w.write(makeFrame(0, 0, 32, 32, new Uint8Array(32 * 32 * 3))).then(() => w.close());
    await expect(write).rejects.toThrow(/annotated\.mp4/);
  });

  it('reports an encoder that fails at startup with the path and ffmpeg stderr tail', async () => {
    const w = new AnnotatedVideoWriter(join(tmp.dir, 'x.mp4'), { fps: 5, preset: 'no-such-preset' });
    const err = await (async () => {
      for (let i = 0; i < 50; i++) await w.write(makeFrame(i, i * 200, 32, 32, new Uint8Array(32 * 32 * 3)));
      await w.close();
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VideoError);
    expect((err as VideoError).code).toBe('ENCODE_FAILED');
    expect((err as Error).message).toContain(join(tmp.dir, 'x.mp4'));
    expect((err as VideoError).info.stderrTail).toMatch(/no-such-preset|Error setting preset/i);
  });
});
