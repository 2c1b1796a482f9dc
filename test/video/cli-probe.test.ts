import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLE = 'videos/pets09-s2l1-300.mp4';
const edgetrack = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/edgetrack.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('edgetrack probe', () => {
  it('prints the committed sample clip metadata as JSON and exits 0', () => {
    const r = edgetrack('probe', SAMPLE);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'file', fps: 10, width: 768, height: 576, frameCount: 300, durationMs: 30000, codec: 'h264' });
  });

  it('exits 1 with a message naming a missing file', () => {
    const r = edgetrack('probe', 'videos/does-not-exist.mp4');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot probe videos\/does-not-exist\.mp4: file not found/);
    expect(r.stderr).toMatch(/No such file or directory/);
  });

  it('exits 2 without an input', () => {
    expect(edgetrack('probe').status).toBe(2);
  });
});
