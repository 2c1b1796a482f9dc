import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { ensureBuiltinModel } from '../../src/detector/index.js';
import { ffmpegPath, findPetsVideo } from '../../src/video/index.js';
import { centernetTensor, nanodetTensor, syntheticRgb, videoFrameRgb } from './fixtures/parity-input.js';

/**
 * Converter parity: the ONNX models converted from the TFJS graphs must reproduce TensorFlow.js (wasm
 * backend) outputs. Golden values were produced once by fixtures/make-golden.mts; each case stores a
 * spread of sampled indices plus the 50 largest values of every output. Tolerance: 1e-3 absolute, plus
 * 1e-4 relative for the large raw regression values of CenterNet's `wh` head (up to ~200 px).
 */
const golden = JSON.parse(readFileSync(new URL('./fixtures/parity-golden.json', import.meta.url), 'utf8')) as {
  cases: Record<string, Record<string, { shape: number[]; indices: number[]; values: number[] }>>;
};

const SIZE: Record<string, number> = { nanodet: 416, centernet: 512 };

async function maxDiffs(model: string, rgb: Uint8Array, entry: Record<string, { indices: number[]; values: number[] }>): Promise<Record<string, number>> {
  const session = await ort.InferenceSession.create(await ensureBuiltinModel(model), { intraOpNumThreads: 2 });
  try {
    const s = SIZE[model];
    const x = model === 'nanodet' ? new ort.Tensor('float32', nanodetTensor(rgb, s, s), [1, 3, s, s]) : new ort.Tensor('float32', centernetTensor(rgb), [1, s, s, 3]);
    const out = await session.run({ [session.inputNames[0]]: x });
    const diffs: Record<string, number> = {};
    for (const [name, g] of Object.entries(entry)) {
      const v = out[name].data as Float32Array;
      let worst = 0;
      g.indices.forEach((i, k) => {
        const allowed = 1e-3 + 1e-4 * Math.abs(g.values[k]);
        worst = Math.max(worst, Math.abs(v[i] - g.values[k]) / allowed);
      });
      diffs[name] = worst;
    }
    return diffs;
  } finally {
    await session.release();
  }
}

describe('converted built-in models match TFJS', () => {
  for (const model of ['nanodet', 'centernet']) {
    it(`${model}: synthetic street image`, async () => {
      const diffs = await maxDiffs(model, syntheticRgb(SIZE[model], SIZE[model]), golden.cases[`${model}/synthetic`]);
      // each value is |onnx − tfjs| / tolerance: must stay ≤ 1
      for (const [name, d] of Object.entries(diffs)) expect(d, name).toBeLessThanOrEqual(1);
    });
  }
});

const video = await findPetsVideo({ download: false });
describe.skipIf(!video)('converted built-in models match TFJS on a real frame (PETS09 vtest.avi frame 0)', () => {
  if (!video) console.log('skipping real-frame parity: vtest.avi not found (see src/video/pets-video.ts findPetsVideo)');
  for (const model of ['nanodet', 'centernet']) {
    it(`${model}: vtest.avi frame 0`, async () => {
      const rgb = videoFrameRgb(ffmpegPath(), video!, SIZE[model], SIZE[model]);
      const diffs = await maxDiffs(model, rgb, golden.cases[`${model}/vtest0`]);
      for (const [name, d] of Object.entries(diffs)) expect(d, name).toBeLessThanOrEqual(1);
    });
  }
});
