import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probeVideo } from '../../src/video/index.js';

const VIDEOS = fileURLToPath(new URL('../../videos/', import.meta.url));

interface Clip { file: string; frames: number; fps: number; width: number; height: number; codec: string; sizeBytes: number; sha256: string }

describe('videos/manifest.json', () => {
  const manifest = JSON.parse(readFileSync(`${VIDEOS}manifest.json`, 'utf8')) as { clips: Clip[] };

  it.each(manifest.clips.map((c) => [c.file, c] as const))('%s matches its entry (bytes, sha256, probe)', async (_, clip) => {
    const path = `${VIDEOS}${clip.file}`;
    expect(statSync(path).size).toBe(clip.sizeBytes);
    expect(clip.sizeBytes).toBeLessThan(3 * 1024 * 1024);
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(clip.sha256);
    expect(await probeVideo(path)).toMatchObject({ frameCount: clip.frames, fps: clip.fps, width: clip.width, height: clip.height, codec: clip.codec });
    expect(readFileSync(`${VIDEOS}README.md`, 'utf8')).toContain(clip.file);
  });
});
