import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { writeYolov8Model } from './fixtures/tiny-yolov8.js';

const tmp = mkdtempSync(join(tmpdir(), 'edgetrack-cli-detect-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('edgetrack detect / models', () => {
  const model = join(tmp, 'tiny-yolov8.onnx');
  const frames = join(tmp, 'frames');
  beforeAll(async () => {
    writeYolov8Model(model);
    mkdirSync(frames);
    for (let i = 1; i <= 4; i++) {
      await sharp({ create: { width: 256, height: 128, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toFile(join(frames, `${String(i).padStart(6, '0')}.png`));
    }
  });

  it('writes MOT-det rows (1-based source frames, every 2nd frame) for a folder of images', async () => {
    const out = join(tmp, 'dets.txt');
    expect(await main(['node', 'edgetrack', 'detect', frames, '--model', model, '--every', '2', '--out', out, '--quiet'])).toBe(0);
    // the synthetic model always outputs a person (30,50)-(50,90) and a car (85,54)-(115,74) in its
    // 128x128 input; the 256x128 frame is letterboxed at scale 0.5 with 32 px of padding on top
    expect(readFileSync(out, 'utf8')).toBe([
      '1,-1,60,36,40,80,0.9000,0,-1,-1',
      '1,-1,170,44,60,40,0.6000,2,-1,-1',
      '3,-1,60,36,40,80,0.9000,0,-1,-1',
      '3,-1,170,44,60,40,0.6000,2,-1,-1',
      '',
    ].join('\n'));
    const carsOnly = join(tmp, 'cars.txt');
    expect(await main(['node', 'edgetrack', 'detect', frames, '--model', model, '--classes', 'car', '--out', carsOnly, '--quiet'])).toBe(0);
    expect(readFileSync(carsOnly, 'utf8').trim().split('\n').map((l) => l.split(',')[7])).toEqual(['2', '2', '2', '2']);
  });

  it('usage errors exit 2 (a missing model file included: a flag value, checked before the first frame)', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'edgetrack', 'detect', frames, '--model', model, '--classes', 'dragon'])).toBe(2);
      expect(await main(['node', 'edgetrack', 'detect', frames, '--family', 'ssd'])).toBe(2);
      expect(await main(['node', 'edgetrack', 'detect', frames, '--every', '0'])).toBe(2);
      expect(await main(['node', 'edgetrack', 'detect', frames, '--model', join(tmp, 'missing.onnx'), '--quiet'])).toBe(2);
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/--classes: .*unknown "dragon"\. Valid names: person, [\s\S]*--family: expected one of nanodet, centernet, yolox, yolov8[\s\S]*--model \S*missing\.onnx: no such file/);
    } finally {
      err.mockRestore();
    }
  });

  it('models --json lists the built-in models', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'edgetrack', 'models', '--json'])).toBe(0);
      const json = JSON.parse(out.mock.calls.map((c) => String(c[0])).join(''));
      expect(json.models.map((m: { name: string; family: string; inputSize: number }) => [m.name, m.family, m.inputSize])).toEqual([['nanodet', 'nanodet', 416], ['centernet', 'centernet', 512]]);
      expect(typeof json.models[0].prepared).toBe('boolean');
    } finally {
      out.mockRestore();
    }
  });
});
