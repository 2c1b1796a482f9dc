/**
 * Detector bench: median ms per frame for pre-processing, inference and post-processing, per model
 * family at 1 and 2 onnxruntime threads, on a 768x576 frame (PETS09 vtest.avi frame 0 when available,
 * else a synthetic street image). Ratios: (pre + post) / inference (goal ≤ 25%) and the 2-thread speed-up
 * against the 1-thread run measured in the same process.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Frame, makeFrame } from '../src/core/index.js';
import { Detector } from '../src/detector/index.js';
import { fileFrames, findPetsVideo } from '../src/video/index.js';
import { syntheticRgb } from '../test/detector/fixtures/parity-input.js';
import { writeYolov8Model } from '../test/detector/fixtures/tiny-yolov8.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SHARED = fileURLToPath(new URL('../../shared/data/models', import.meta.url));
const WARMUP = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

async function benchFrame(): Promise<{ frame: Frame; what: string }> {
  const video = await findPetsVideo({ download: false });
  if (video) {
    for await (const f of fileFrames(video, { endFrame: 1 })) return { frame: f, what: 'vtest.avi frame 0' };
  }
  return { frame: makeFrame(0, 0, 768, 576, syntheticRgb(768, 576)), what: 'synthetic 768x576' };
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1];

export async function run(): Promise<void> {
  const { frame, what } = await benchFrame();
  const models = ['nanodet', 'centernet'];
  for (const f of ['yolox_nano_416.onnx', 'yolox_nano_320.onnx']) if (existsSync(`${SHARED}/${f}`)) models.push(`${SHARED}/${f}`);
  // No real YOLOv8/YOLO11 file is available: a synthetic 640x640 model with the [1,84,8400] output
  // layout measures that family's real pre/post cost; its "inference" is a constant, not a network.
  const tmp = mkdtempSync(join(tmpdir(), 'edgetrack-bench-'));
  const synthetic = join(tmp, 'synthetic-yolov8-640.onnx');
  writeYolov8Model(synthetic, 640);
  models.push(synthetic);
  console.log(`input: ${what}; ${WARMUP} warm-up + ${RUNS} timed runs; median ms`);
  console.log('model            family     thr   pre   infer   post  (pre+post)/infer  speed-up vs 1 thread');
  for (const model of models) {
    let oneThread = 0;
    for (const threads of [1, 2]) {
      const d = await Detector.create({ model, threads });
      const t = { pre: [] as number[], inf: [] as number[], post: [] as number[] };
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const r = await d.detect(frame);
        if (i < WARMUP) continue;
        t.pre.push(r.timings.preMs);
        t.inf.push(r.timings.inferenceMs);
        t.post.push(r.timings.postMs);
      }
      await d.close();
      const [pre, inf, post] = [median(t.pre), median(t.inf), median(t.post)];
      if (threads === 1) oneThread = inf;
      console.log(
        `${d.name.padEnd(16)} ${d.family.padEnd(9)} ${String(threads).padStart(3)} ${pre.toFixed(1).padStart(5)} ${inf.toFixed(1).padStart(7)} ${post.toFixed(1).padStart(6)}  ${(((pre + post) / inf) * 100).toFixed(1).padStart(14)}%  ${(oneThread / inf).toFixed(2).padStart(8)}x`,
      );
    }
  }
  rmSync(tmp, { recursive: true, force: true });
}
