/**
 * Development-only YOLOX ObjectDetector (sharp + onnxruntime) used while src/detector was not yet
 * available, and by the transport bench as a fallback. Not the product's detector.
 */
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { iou, makeBox, makeDetection, type DetectResult, type Detection, type ObjectDetector } from '../../../src/core/index.js';

export async function createDevYolox(path: string, size = 320, name = `yolox_nano_${size}`): Promise<ObjectDetector> {
  const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 2 });
  const strides = [8, 16, 32];
  const grid: [number, number, number][] = [];
  for (const s of strides) for (let y = 0; y < size / s; y++) for (let x = 0; x < size / s; x++) grid.push([x, y, s]);
  let closed = false;
  return {
    name,
    async detect(input): Promise<DetectResult> {
      if (closed) throw new Error('detector closed');
      if (!(input instanceof Uint8Array)) throw new Error('dev detector: JPEG bytes only');
      const t0 = performance.now();
      const meta = await sharp(input).metadata();
      const w = meta.width!, h = meta.height!;
      const scale = Math.min(size / w, size / h);
      const rw = Math.round(w * scale), rh = Math.round(h * scale);
      const raw = await sharp(input).removeAlpha().resize(rw, rh, { fit: 'fill' })
        .extend({ right: size - rw, bottom: size - rh, background: { r: 114, g: 114, b: 114 } }).raw().toBuffer();
      const t1 = performance.now();
      const plane = size * size;
      const data = new Float32Array(3 * plane);
      for (let i = 0; i < plane; i++) {
        data[i] = raw[i * 3 + 2];
        data[plane + i] = raw[i * 3 + 1];
        data[2 * plane + i] = raw[i * 3];
      }
      const t2 = performance.now();
      const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, [1, 3, size, size]) });
      const t3 = performance.now();
      const o = out[session.outputNames[0]].data as Float32Array;
      const cands: Detection[] = [];
      for (let i = 0; i < grid.length; i++) {
        const b = i * 85;
        const obj = o[b + 4];
        if (obj < 0.25) continue;
        let best = 0, cls = 0;
        for (let c = 0; c < 80; c++) if (o[b + 5 + c] > best) { best = o[b + 5 + c]; cls = c; }
        const score = obj * best;
        if (score < 0.3) continue;
        const [gx, gy, s] = grid[i];
        const cx = (o[b] + gx) * s, cy = (o[b + 1] + gy) * s, bw = Math.exp(o[b + 2]) * s, bh = Math.exp(o[b + 3]) * s;
        const x1 = Math.min(Math.max((cx - bw / 2) / scale, 0), w), y1 = Math.min(Math.max((cy - bh / 2) / scale, 0), h);
        const x2 = Math.min(Math.max((cx + bw / 2) / scale, x1), w), y2 = Math.min(Math.max((cy + bh / 2) / scale, y1), h);
        cands.push(makeDetection(makeBox(x1, y1, x2, y2), Math.min(1, score), cls));
      }
      cands.sort((a, b) => b.score - a.score);
      const kept: Detection[] = [];
      for (const d of cands) if (!kept.some((k) => k.classId === d.classId && iou(k.box, d.box) > 0.45)) kept.push(d);
      for (const t of Object.values(out)) t.dispose?.();
      const t4 = performance.now();
      return { detections: kept, width: w, height: h, timings: { decodeMs: t1 - t0, preMs: t2 - t1, inferenceMs: t3 - t2, postMs: t4 - t3 } };
    },
    async close() {
      if (closed) return;
      closed = true;
      await session.release();
    },
  };
}
