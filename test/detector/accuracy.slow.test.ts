import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Box, parseMot } from '../../src/core/index.js';
import { Detector } from '../../src/detector/index.js';
import { averagePrecision, type ScoredPrediction } from '../../src/detector/average-precision.js';
import { fileFrames, findPetsVideo } from '../../src/video/index.js';

/**
 * Accuracy on real video (slow suite): PETS09-S2L1 = OpenCV's vtest.avi (795 frames), human ground
 * truth from ../shared, person class, IoU 0.5, detector on every 5th frame (frame n of the video is MOT
 * frame n + 1). Acceptance: AP50 ≥ 0.85 for NanoDet and YOLOX-nano 416. CenterNet and YOLOX-nano 320
 * are measured and reported too.
 */
const SHARED = fileURLToPath(new URL('../../../shared', import.meta.url));
const GT = `${SHARED}/data/sequences/PETS09-S2L1/gt.txt`;
const SLOW = process.env.EDGETRACK_SLOW === '1';
const run = SLOW && existsSync(GT);
if (!run) console.log(`skipping detector accuracy: ${SLOW ? `${GT} not found (../shared absent)` : 'slow suite only (EDGETRACK_SLOW=1)'}`);

const MODELS: { model: string; minAp?: number }[] = [
  { model: 'nanodet', minAp: 0.85 },
  { model: `${SHARED}/data/models/yolox_nano_416.onnx`, minAp: 0.85 },
  { model: 'centernet' },
  { model: `${SHARED}/data/models/yolox_nano_320.onnx` },
];

describe.skipIf(!run)('detector AP50 on PETS09-S2L1 (every 5th frame, person)', () => {
  const every = 5;
  for (const { model, minAp } of MODELS) {
    it(`${model.replace(/^.*\//, '')}${minAp ? ` ≥ ${minAp}` : ''}`, async () => {
      const video = await findPetsVideo();
      if (!video) throw new Error('vtest.avi not available: findPetsVideo() could neither find nor fetch it');
      // gt rows flagged 0 in column 7 (34 of the 929 boxes on these frames) are ignore regions
      const allRows = parseMot(readFileSync(GT, 'utf8'), 'gt.txt');
      const gtRows = allRows.filter((r) => r.score !== 0);
      const ignoreRows = allRows.filter((r) => r.score === 0);
      const gt = new Map<number, Box[]>();
      const ignore = new Map<number, Box[]>();
      const preds = new Map<number, ScoredPrediction[]>();
      const detector = await Detector.create({ model, classes: ['person'], scoreThreshold: 0.05, threads: 2 });
      const ms = { pre: 0, inf: 0, post: 0 };
      let frames = 0;
      try {
        for await (const frame of fileFrames(video, { everyNth: every })) {
          const motFrame = frame.index + 1;
          gt.set(motFrame, gtRows.filter((r) => r.frame === motFrame).map((r) => r.box));
          ignore.set(motFrame, ignoreRows.filter((r) => r.frame === motFrame).map((r) => r.box));
          const r = await detector.detect(frame);
          preds.set(motFrame, r.detections.map((d) => ({ box: d.box, score: d.score })));
          ms.pre += r.timings.preMs;
          ms.inf += r.timings.inferenceMs;
          ms.post += r.timings.postMs;
          frames++;
        }
      } finally {
        await detector.close();
      }
      const ap = averagePrecision(gt, preds, 0.5, 0.4, ignore);
      const apAll = averagePrecision(new Map([...gt].map(([f, g]) => [f, [...g, ...(ignore.get(f) ?? [])]])), preds, 0.5, 0.4);
      console.log(`AP50 ${detector.name}: ${ap.ap.toFixed(3)} over ${frames} frames, ${ap.groundTruth} gt boxes + ${[...ignore.values()].reduce((a, g) => a + g.length, 0)} ignored (AP50 counting them as gt: ${apAll.ap.toFixed(3)}); recall/precision at score ≥ 0.4: ${ap.recallAt.toFixed(2)} / ${ap.precisionAt.toFixed(2)}; mean ms pre ${(ms.pre / frames).toFixed(1)} inference ${(ms.inf / frames).toFixed(1)} post ${(ms.post / frames).toFixed(1)}`);
      expect(frames).toBe(159);
      if (minAp !== undefined) expect(ap.ap).toBeGreaterThanOrEqual(minAp);
    }, 600_000);
  }
});
