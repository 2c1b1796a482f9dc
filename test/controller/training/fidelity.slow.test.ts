/**
 * Slow suite (EDGETRACK_SLOW=1, needs ../shared and the PETS09 video): the training simulator against
 * real replay runs for every baseline policy on every development video × 3 traces. The bound
 * is mAR within ±0.02 and bytes within ±5 %; the simulator is built to be exact, so any difference is
 * reported. Writes docs/controller-fidelity.md. When the tracker changes, this test says whether the
 * shipped policy (trained in the simulator) still sees the tracker it was trained for.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { developmentSplit, sharedDataDir } from '../../../src/controller/training/default-recipe.js';
import { evaluatePolicies } from '../../../src/controller/training/evaluate-policies.js';
import { DEFAULT_REWARD_WEIGHTS } from '../../../src/controller/training/reward.js';
import { type LocalEdge, runPipeline, startLocalEdge } from '../../../src/pipeline/index.js';
import { petsVideoCachePath } from '../../../src/video/pets-video.js';

const SLOW = process.env.EDGETRACK_SLOW === '1';
const PETS = petsVideoCachePath();
const HAVE = existsSync(join(sharedDataDir(), 'sequences')) && existsSync(PETS);
const POLICIES = ['never', 'periodic:5', 'periodic:10', 'periodic:20', 'full', 'minimal', 'heuristic'];
const DOC = new URL('../../../docs/controller-fidelity.md', import.meta.url).pathname;

describe.skipIf(!SLOW || !HAVE)('training simulator vs replay runs on every development video × 3 traces (slow)', () => {
  const dirs: string[] = [];
  let edge: LocalEdge | undefined;
  afterAll(async () => {
    await edge?.server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('mAR within ±0.02 and bytes within ±5 % for every baseline; table written to docs/controller-fidelity.md', async () => {
    const split = developmentSplit(PETS);
    const videos = [...split.trainVideos, ...split.testVideos];
    const traces = [split.testTraces[0], split.testTraces[12], split.testTraces.at(-1)!];
    edge = await startLocalEdge('nanodet');
    const rows: string[] = [];
    let worstMar = 0;
    let worstBytes = 0;
    const started = performance.now();
    for (const v of videos) {
      for (const trace of traces) {
        const sim = await evaluatePolicies({ cases: [{ video: v.video, gt: v.gt, trace, name: v.name }], policies: POLICIES, tradeOff: DEFAULT_REWARD_WEIGHTS });
        for (const s of sim) {
          const out = mkdtempSync(join(tmpdir(), 'edgetrack-fidelity-'));
          dirs.push(out);
          const real = await runPipeline({ input: v.video, gt: v.gt, policy: s.policy, trace, clock: 'replay', edge: edge.url, token: edge.token, outDir: out });
          rmSync(out, { recursive: true, force: true });
          const dMar = Math.abs(s.mar - real.mar);
          const dBytes = real.bytesSent > 0 ? Math.abs(s.bytesSent - real.bytesSent) / real.bytesSent : s.bytesSent === 0 ? 0 : 1;
          worstMar = Math.max(worstMar, dMar);
          worstBytes = Math.max(worstBytes, dBytes);
          rows.push(`| ${v.name} | ${basename(trace).slice(0, 32)} | ${s.policy} | ${s.mar.toFixed(4)} | ${real.mar.toFixed(4)} | ${s.bytesSent} | ${real.bytesSent} | ${s.deviceEnergyJ.toFixed(2)} | ${real.deviceEnergyJ.toFixed(2)} |`);
          expect(dMar, `${v.name} ${trace} ${s.policy}: mAR sim ${s.mar} vs replay ${real.mar}`).toBeLessThanOrEqual(0.02);
          expect(dBytes, `${v.name} ${trace} ${s.policy}: bytes sim ${s.bytesSent} vs replay ${real.bytesSent}`).toBeLessThanOrEqual(0.05);
        }
      }
    }
    writeFileSync(DOC, [
      '# Controller simulator fidelity',
      '',
      `Written by \`test/controller/training/fidelity.slow.test.ts\` (\`npm run test:slow -- fidelity\`); do not edit by hand. ${new Date().toISOString().slice(0, 10)}, ${((performance.now() - started) / 60_000).toFixed(1)} min.`,
      '',
      `Every baseline policy on every development video × 3 traces, in the training simulator and in a real replay run (\`runPipeline\`, clock replay, NanoDet in-process edge, jetson-nano). Bound: mAR ±0.02, bytes ±5 %. **Largest differences: mAR ${worstMar.toExponential(2)}, bytes ${(100 * worstBytes).toFixed(3)} %** (${rows.length} pairs).`,
      '',
      '| video | trace | policy | mAR sim | mAR replay | bytes sim | bytes replay | energy J sim | energy J replay |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
    ].join('\n'));
  }, 4 * 3600_000);
});

if (!SLOW) describe.skip('simulator fidelity on the development data: skipped, set EDGETRACK_SLOW=1 (npm run test:slow)', () => { it('skipped', () => {}); });
else if (!HAVE) describe.skip(`simulator fidelity on the development data: skipped, ../shared/data/sequences or ${PETS} not found (scripts/fetch-pets-video.sh)`, () => { it('skipped', () => {}); });
