import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, ValidationError, makeFrame } from '../../src/core/index.js';
import { Detector, ThreadedDetector } from '../../src/detector/index.js';
import { fileFrames } from '../../src/video/index.js';

const CLIP = fileURLToPath(new URL('../../videos/pets09-s2l1-300.mp4', import.meta.url));

let inline: Detector;
let threaded: ThreadedDetector;
let frame: Frame;
let jpeg: Uint8Array;

beforeAll(async () => {
  [inline, threaded] = await Promise.all([Detector.create({ model: 'nanodet', threads: 1 }), ThreadedDetector.create({ model: 'nanodet', threads: 1 })]);
  for await (const f of fileFrames(CLIP, { startFrame: 40, endFrame: 41 })) frame = f;
  jpeg = new Uint8Array(await sharp(frame.rgb, { raw: { width: frame.width, height: frame.height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
});
afterAll(async () => {
  await Promise.all([inline?.close(), threaded?.close()]);
});

const boxes = (r: Awaited<ReturnType<Detector['detect']>>) => r.detections.map((d) => ({ ...d.box, score: d.score, classId: d.classId }));

describe('ThreadedDetector (onnxruntime session in a worker thread)', () => {
  it('reports the model it loaded and finds exactly what the in-thread Detector finds, on a frame and on a JPEG', async () => {
    expect(threaded.name).toBe('nanodet');
    expect(threaded.model).toMatchObject({ family: 'nanodet', inputWidth: inline.inputWidth, inputHeight: inline.inputHeight });
    const [a, b] = [await inline.detect(frame), await threaded.detect(frame)];
    expect(a.detections.length).toBeGreaterThan(3); // people on PETS09 frame 40
    expect(boxes(b)).toEqual(boxes(a));
    expect({ width: b.width, height: b.height }).toEqual({ width: 768, height: 576 });
    expect(boxes(await threaded.detect(jpeg))).toEqual(boxes(await inline.detect(jpeg)));
    // the caller keeps its buffers (inputs are copied to the worker, not transferred)
    expect(frame.rgb.byteLength).toBe(768 * 576 * 3);
    expect(jpeg.byteLength).toBeGreaterThan(1000);
  });

  it('leaves the calling thread free during inference: timers keep firing', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      for (let i = 0; i < 4; i++) await threaded.detect(frame); // ≥ 4 × 30 ms of inference with one thread
    } finally {
      clearInterval(timer);
    }
    // the same calls on this thread let the timer fire only between calls (a handful of ticks)
    expect(ticks).toBeGreaterThan(20);
  });

  it('overlapping calls are all answered, in order of their results', async () => {
    const results = await Promise.all([threaded.detect(frame), threaded.detect(jpeg), threaded.detect(frame)]);
    expect(boxes(results[2])).toEqual(boxes(results[0]));
  });

  it('bad input rejects with the worker\'s ValidationError, and the detector stays usable', async () => {
    const err = await threaded.detect(new Uint8Array([1, 2, 3])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toMatch(/expected JPEG .* or PNG .* got 3 bytes/);
    await expect(threaded.detect(makeFrame(0, 0, 4, 4, new Uint8Array(48)))).resolves.toMatchObject({ width: 4, height: 4 });
    await expect(threaded.detect({ index: 0, ptsMs: 0, width: 4, height: 4, rgb: new Uint8Array(10) })).rejects.toThrow(/frame\.rgb: expected 48 bytes/);
    await expect(threaded.detect(undefined as unknown as Uint8Array)).rejects.toThrow(ValidationError);
  });

  it('a model that cannot be loaded rejects create() with the path', async () => {
    await expect(ThreadedDetector.create({ model: '/nonexistent/model.onnx' })).rejects.toThrow(/\/nonexistent\/model\.onnx/);
    const err = await ThreadedDetector.create({ model: '/nonexistent/model.onnx' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    await expect(ThreadedDetector.create({ model: 'nanodet', threads: 0 })).rejects.toThrow(/threads: expected an integer ≥ 1, got 0/);
  });

  it('when its worker ends, calls in flight reject saying so, and the next call starts a new worker', async () => {
    const own = await ThreadedDetector.create({ model: 'nanodet', threads: 1 });
    try {
      const inFlight = own.detect(frame);
      await own.recycle();
      await expect(inFlight).rejects.toThrow(/nanodet: its worker thread was recycled; the next call starts a new one/);
      expect(boxes(await own.detect(frame))).toEqual(boxes(await inline.detect(frame)));
      expect(own.crashes).toBe(0);
    } finally {
      await own.close();
      await own.close(); // idempotent
    }
    await expect(own.detect(frame)).rejects.toThrow(/nanodet: closed/);
  });
});
