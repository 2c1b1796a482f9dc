/**
 * Slow suite (EDGETRACK_SLOW=1, needs ../shared): Katch-Up on PETS09-S2L1. Ground-truth boxes are fed
 * as detections every N frames (N ∈ 5, 10, 20), delivered D frames late (D ∈ 0, 5, 15); mAR over every
 * frame against gt.txt. Writes the table to docs/katchup-results.md.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatKatchupMode } from '../../src/core/index.js';
import { loadMotGroundTruth } from '../../src/eval/index.js';
import { DEFAULT_TRACKER_OPTIONS } from '../../src/tracker/index.js';
import { fileFrames } from '../../src/video/file-source.js';
import { findPetsVideo } from '../../src/video/pets-video.js';
import { acceptanceGrid, formatKatchupTable, runKatchupExperiment } from './katchup-experiment.js';

const SHARED = fileURLToPath(new URL('../../../shared', import.meta.url));
const GT = `${SHARED}/data/sequences/PETS09-S2L1/gt.txt`;
const SLOW = process.env.EDGETRACK_SLOW === '1';
const DOC = fileURLToPath(new URL('../../docs/katchup-results.md', import.meta.url));

describe.skipIf(!SLOW || !existsSync(GT))('Katch-Up on PETS09-S2L1 (slow)', () => {
  it('tracking beats holding the last detections; full and stride:3 beat off for D ≥ 5 (stride:3 within 0.03 of full); stride:3 costs about a third', async (ctx) => {
    const video = await findPetsVideo();
    if (!video) {
      console.warn('PETS09-S2L1 video (vtest.avi) not found and could not be fetched: skipping (see src/video/pets-video.ts)');
      ctx.skip();
      return;
    }
    const gt = loadMotGroundTruth(GT);
    const t0 = performance.now();
    const rows = await runKatchupExperiment(fileFrames(video), gt, acceptanceGrid());
    const seconds = (performance.now() - t0) / 1000;
    const table = formatKatchupTable(rows);
    console.log(`\nKatch-Up on PETS09-S2L1 (${video}), ${seconds.toFixed(0)} s\n${table}\n`);
    writeFileSync(DOC, resultsDoc(table, seconds));

    for (const r of rows) expect(r.mar, `N=${r.period} D=${r.delay} ${formatKatchupMode(r.mode)} vs hold`).toBeGreaterThan(r.holdMar);
    for (const N of [5, 10, 20]) {
      for (const D of [5, 15]) {
        const at = (m: string) => rows.find((r) => r.period === N && r.delay === D && formatKatchupMode(r.mode) === m)!;
        const [off, stride, full] = [at('off'), at('stride:3'), at('full')];
        const label = `N=${N} D=${D}`;
        expect(full.mar, `${label}: full > off`).toBeGreaterThan(off.mar);
        expect(stride.mar, `${label}: stride:3 > off`).toBeGreaterThan(off.mar);
        // Not better than full beyond 0.03 mAR: stride's direct flow over 3-frame gaps takes fewer
        // steps (fewer appearance decisions, less accumulated drift), so on the dense-flow tracker it
        // measured up to +0.021 over full at D = 15 (docs/katchup-results.md).
        expect(stride.mar, `${label}: stride:3 ≤ full + 0.03`).toBeLessThanOrEqual(full.mar + 0.03);
        const costRatio = stride.retrackedPerCorrection / full.retrackedPerCorrection;
        expect(costRatio, `${label}: stride:3 re-tracks about a third of full`).toBeLessThanOrEqual(0.4);
        expect(full.fallbacks + stride.fallbacks).toBe(0);
      }
    }
  }, 3_600_000);
});
if (!SLOW) describe.skip('Katch-Up on PETS09-S2L1: skipped, set EDGETRACK_SLOW=1 (npm run test:slow)', () => { it('skipped', () => {}); });
else if (!existsSync(GT)) describe.skip(`Katch-Up on PETS09-S2L1: skipped, ${GT} not found`, () => { it('skipped', () => {}); });

function resultsDoc(table: string, seconds: number): string {
  return `# Katch-Up results on PETS09-S2L1

Written by \`test/tracker/pets-katchup.slow.test.ts\` (\`npm run test:slow -- test/tracker/pets-katchup\`);
do not edit by hand. Last run: ${new Date().toISOString().slice(0, 10)}, ${seconds.toFixed(0)} s for all
configurations in one decoding pass (one tracker per row, so per-frame timings include the other rows'
cache pressure).

Setup: OpenCV's \`vtest.avi\` (PETS09-S2L1, 795 frames, 768x576; video frame n = MOT frame n+1). The
ground-truth boxes of every N-th frame are given to the tracker as detections (score 1, class person),
delivered D frames late: after \`update(frame k+D)\` the tracker receives \`correct(k, gt(k), mode)\`.
Output at every frame = the tracks after that frame's update (and correction, if one arrived), lost
tracks included. **mAR** = COCO average recall over IoU 0.50:0.05:0.95 (maxDets 100) against gt.txt over
all 795 frames (\`src/eval\` \`evaluateDetections\`). **hold** = output the last delivered detections
unchanged until the next ones arrive. With D = 0 the modes coincide (k = t), so only \`full\` is run.
"frames re-tracked / correction" is the Katch-Up cost (optical-flow steps); ms are wall time on the
development machine (2 cores, shared with other jobs).

Tracker options: the defaults (\`DEFAULT_TRACKER_OPTIONS\`: processing maxSide ${DEFAULT_TRACKER_OPTIONS.maxSide} px,
dense flow with ${DEFAULT_TRACKER_OPTIONS.flowLevels + 1} pyramid levels and window ${DEFAULT_TRACKER_OPTIONS.flowWinSize}, scale estimation ${DEFAULT_TRACKER_OPTIONS.estimateScale ? DEFAULT_TRACKER_OPTIONS.scaleModel : 'off'}).

${table}
`;
}
