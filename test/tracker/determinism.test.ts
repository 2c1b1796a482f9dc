import { describe, expect, it } from 'vitest';
import { type KatchupMode } from '../../src/core/index.js';
import { MultiTracker } from '../../src/tracker/index.js';
import { renderScene } from '../../src/video/synthetic/scene.js';
import { truthDetections } from './helpers.js';

/** Runs the multi-object clip with late corrections in all three modes; returns every emitted track as JSON. */
async function run(): Promise<string> {
  const tr = await MultiTracker.create();
  const frames = [...renderScene('multi', { frames: 60, objects: 6, seed: 3 }).frames()];
  const modes: KatchupMode[] = [{ kind: 'full' }, { kind: 'stride', stride: 3 }, { kind: 'off' }];
  const out: unknown[] = [];
  try {
    for (const { frame } of frames) {
      out.push(tr.update(frame));
      const k = frame.index - 4;
      if (k >= 0 && k % 8 === 0) out.push(tr.correct(k, truthDetections(frames[k].truth), modes[(k / 8) % 3]).tracks);
    }
  } finally {
    tr.close();
  }
  return JSON.stringify(out);
}

describe('determinism', () => {
  it('same frames and corrections give identical tracks', async () => {
    const a = await run();
    const b = await run();
    expect(a.length).toBeGreaterThan(10_000);
    expect(a).toBe(b);
  });
});
