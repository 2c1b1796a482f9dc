import { fileURLToPath } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/core/index.js';
import { fileSource, findPetsVideo, probeVideo } from '../../src/video/index.js';

const SLOW = process.env.EDGETRACK_SLOW === '1';
const CLIP = fileURLToPath(new URL('../../videos/pets09-s2l1-300.mp4', import.meta.url));
const mad = (a: Frame, b: Frame): number => {
  let s = 0;
  for (let i = 0; i < a.rgb.length; i += 7) s += Math.abs(a.rgb[i] - b.rgb[i]);
  return s / Math.ceil(a.rgb.length / 7);
};

if (!SLOW) console.log('[video] skipping PETS alignment check: set EDGETRACK_SLOW=1 (npm run test:slow)');

describe.skipIf(!SLOW)('videos/pets09-s2l1-300.mp4 against the full vtest.avi (slow)', () => {
  it('clip frame n is vtest.avi frame n (not n±1), and vtest.avi has 795 frames', async (ctx) => {
    const full = await findPetsVideo();
    if (!full) {
      console.log('[video] skipping: vtest.avi not found and could not be fetched (scripts/fetch-pets-video.sh)');
      ctx.skip();
      return;
    }
    expect(await probeVideo(full)).toMatchObject({ frameCount: 795, width: 768, height: 576, fps: 10 });
    const picks = [0, 1, 150, 298, 299];
    const clip = await lastValueFrom(fileSource(CLIP).pipe(toArray()));
    const source = await lastValueFrom(fileSource(full, { endFrame: 301 }).pipe(toArray()));
    expect(clip).toHaveLength(300);
    for (const n of picks) {
      const same = mad(clip[n], source[n]);
      const next = mad(clip[n], source[n + 1]);
      expect(same, `frame ${n}`).toBeLessThan(3);
      expect(next, `frame ${n} vs ${n + 1}`).toBeGreaterThan(same);
    }
  }, 120_000);
});
