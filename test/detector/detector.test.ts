import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFrame } from '../../src/core/index.js';
import { Detector, ensureBuiltinModel } from '../../src/detector/index.js';
import { GraphBuilder, OnnxType } from '../../src/detector/import/onnx-builder.js';
import { writeYolov8Model } from './fixtures/tiny-yolov8.js';
import { syntheticRgb } from './fixtures/parity-input.js';

const tmp = mkdtempSync(join(tmpdir(), 'edgetrack-detector-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('YOLOv8 layout end to end (synthetic ONNX model)', () => {
  const path = join(tmp, 'tiny-yolov8.onnx');
  beforeAll(() => writeYolov8Model(path));

  it('detects the family, decodes, runs NMS and undoes the centred letterbox', async () => {
    const d = await Detector.create({ model: path, threads: 1 });
    try {
      expect(d.family).toBe('yolov8');
      expect(d.name).toBe('tiny-yolov8');
      // 256x128 frame → r = 0.5, content 128x64 placed at padY = 32: image = (input − pad) / 0.5
      const r = await d.detect(makeFrame(0, 0, 256, 128, new Uint8Array(256 * 128 * 3)));
      expect(r.width).toBe(256);
      const got = r.detections.map((x) => ({ c: x.classId, s: Number(x.score.toFixed(3)), b: [x.box.x1, x.box.y1, x.box.x2, x.box.y2].map((v) => Number(v.toFixed(3))) }));
      expect(got).toEqual([
        { c: 0, s: 0.9, b: [60, 36, 100, 116] }, // person (30,50)-(50,90) in input px
        { c: 2, s: 0.6, b: [170, 44, 230, 84] }, // car (85,54)-(115,74)
      ]);
      expect(r.timings.inferenceMs).toBeGreaterThan(0);
    } finally {
      await d.close();
    }
  });

  it('class filter and score threshold', async () => {
    const d = await Detector.create({ model: path, classes: ['car'], scoreThreshold: 0.5 });
    const r = await d.detect(makeFrame(0, 0, 128, 128, new Uint8Array(128 * 128 * 3)));
    expect(r.detections.map((x) => x.classId)).toEqual([2]);
    await d.close();
    const low = await Detector.create({ model: path, scoreThreshold: 0.1 });
    const r2 = await low.detect(makeFrame(0, 0, 128, 128, new Uint8Array(128 * 128 * 3)));
    expect(r2.detections.map((x) => x.classId).sort()).toEqual([0, 1, 2]);
    await low.close();
  });
});

describe('Detector with the built-in NanoDet', () => {
  let d: Detector;
  const rgb = syntheticRgb(640, 360);
  const frame = makeFrame(0, 0, 640, 360, rgb);
  beforeAll(async () => {
    d = await Detector.create({ model: 'nanodet', threads: 2, scoreThreshold: 0.2 });
  });
  afterAll(async () => {
    await d.close();
    await d.close(); // idempotent
  });

  it('returns detections inside the image with timings; JPEG input gives the JPEG size', async () => {
    const r = await d.detect(frame);
    expect(d.family).toBe('nanodet');
    expect([r.width, r.height]).toEqual([640, 360]);
    for (const det of r.detections) {
      expect(det.score).toBeGreaterThanOrEqual(0.2);
      expect(det.box.x1).toBeGreaterThanOrEqual(0);
      expect(det.box.x2).toBeLessThanOrEqual(640);
      expect(det.box.y2).toBeLessThanOrEqual(360);
    }
    const jpeg = await sharp(Buffer.from(rgb), { raw: { width: 640, height: 360, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
    const rj = await d.detect(new Uint8Array(jpeg));
    expect([rj.width, rj.height]).toEqual([640, 360]);
    expect(rj.timings.decodeMs).toBeGreaterThan(0);
  });

  it('serialises concurrent calls: parallel results equal sequential ones', async () => {
    const frames = [0, 1, 2, 3].map((i) => makeFrame(i, 0, 320, 240, syntheticRgb(320, 240, 11 + i)));
    const seq = [];
    for (const f of frames) seq.push((await d.detect(f)).detections);
    const par = (await Promise.all(frames.map((f) => d.detect(f)))).map((r) => r.detections);
    expect(par).toEqual(seq);
  });

  it('bad inputs reject with clear errors and the detector stays usable', async () => {
    await expect(d.detect(new TextEncoder().encode('GIF89a not a jpeg at all'))).rejects.toThrow(/image: expected JPEG \(ff d8 ff\) or PNG .* got 24 bytes starting 47 49 46 38/);
    await expect(d.detect(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]))).rejects.toThrow(/image: could not decode JPEG \(9 bytes\)/);
    await expect(d.detect(new Uint8Array(0))).rejects.toThrow(/got 0 bytes/);
    await expect(d.detect({ index: 0, ptsMs: 0, width: 0, height: 0, rgb: new Uint8Array(0) })).rejects.toThrow(/frame: expected width and height ≥ 1, got 0x0/);
    await expect(d.detect({ index: 0, ptsMs: 0, width: 4, height: 4, rgb: new Uint8Array(10) })).rejects.toThrow(/frame.rgb: expected 48 bytes \(4x4x3\), got 10/);
    const ok = await d.detect(frame);
    expect(ok.width).toBe(640);
  });

  it('close() is idempotent, waits for queued calls, and later calls reject', async () => {
    const other = await Detector.create({ model: 'nanodet', threads: 1 });
    const pending = other.detect(frame);
    await Promise.all([other.close(), other.close()]);
    expect((await pending).width).toBe(640);
    await expect(other.detect(frame)).rejects.toThrow('detector nanodet: closed');
  });
});

describe('Detector.create errors', () => {
  it('truncated ONNX, missing file, bad options', async () => {
    const truncated = join(tmp, 'truncated.onnx');
    writeFileSync(truncated, readFileSync(await ensureBuiltinModel('nanodet')).subarray(0, 100_000));
    await expect(Detector.create({ model: truncated })).rejects.toThrow(/truncated.onnx: onnxruntime could not load the model/);
    await expect(Detector.create({ model: join(tmp, 'nope.onnx') })).rejects.toThrow(/model: expected "nanodet", "centernet" or a path to an existing .onnx file, got .*nope.onnx.*no such file/);
    await expect(Detector.create({ model: 'nanodet', threads: 0 })).rejects.toThrow('threads: expected an integer ≥ 1, got 0');
    await expect(Detector.create({ model: 'nanodet', scoreThreshold: 2 })).rejects.toThrow('scoreThreshold: expected a number in [0, 1], got 2');
    await expect(Detector.create({ model: 'nanodet', classes: ['dragon'] })).rejects.toThrow(/classes\[0\]: expected a COCO class name or an integer id ≥ 0, got "dragon"/);
    await expect(Detector.create({ model: 'nanodet', family: 'ssd' as never })).rejects.toThrow(/family: expected one of nanodet, centernet, yolox, yolov8, got "ssd"/);
  });

  it('a model of no known family is rejected with what was found and expected', async () => {
    const g = new GraphBuilder();
    g.inputs.push({ name: 'data', type: OnnxType.FLOAT, shape: [1, 4] });
    g.addNode('Relu', ['data'], { outputs: ['prob'] });
    g.outputs.push({ name: 'prob', type: OnnxType.FLOAT, shape: [1, 4] });
    const path = join(tmp, 'relu.onnx');
    writeFileSync(path, g.toBytes({ producer: 'test' }));
    await expect(Detector.create({ model: path })).rejects.toThrow(/relu.onnx: the model matches no model family. Found inputs: data\[1,4\]; outputs: prob\[1,4\][\s\S]*yolox: expected a 4-D image input/);
  });
});
