import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { clearFfPathCache, FfProcess, FrameAssembler, resolveFfPath, VideoError } from '../../src/video/index.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
const saved = { FFMPEG_PATH: process.env.FFMPEG_PATH, PATH: process.env.PATH };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  clearFfPathCache();
});
afterAll(() => tmp.cleanup());

describe('resolveFfPath', () => {
  it('prefers $FFMPEG_PATH, then PATH, then the npm package, and caches the answer', () => {
    const fake = join(tmp.dir, 'ffmpeg');
    writeFileSync(fake, '#!/bin/sh\nexit 0\n');
    chmodSync(fake, 0o755);
    delete process.env.FFMPEG_PATH;
    process.env.PATH = `${tmp.dir}:${saved.PATH}`;
    clearFfPathCache();
    expect(resolveFfPath('ffmpeg')).toEqual({ tool: 'ffmpeg', path: fake, origin: 'path' });
    process.env.PATH = '/nonexistent';
    expect(resolveFfPath('ffmpeg').path).toBe(fake); // cached
    clearFfPathCache();
    const npm = resolveFfPath('ffmpeg');
    expect(npm.origin).toBe('npm');
    expect(npm.path).toMatch(/@ffmpeg-installer/);
    clearFfPathCache();
    process.env.FFMPEG_PATH = npm.path;
    expect(resolveFfPath('ffmpeg')).toEqual({ tool: 'ffmpeg', path: npm.path, origin: 'env' });
  });

  it('rejects a $FFMPEG_PATH that is not executable instead of ignoring it', () => {
    process.env.FFMPEG_PATH = join(tmp.dir, 'missing-ffmpeg');
    expect(() => resolveFfPath('ffmpeg')).toThrow(VideoError);
    expect(() => resolveFfPath('ffmpeg')).toThrow(/FFMPEG_PATH: expected an executable file/);
  });
});

describe('FfProcess', () => {
  it('keeps the stderr tail and kills idempotently', async () => {
    const p = FfProcess.spawn('ffmpeg', ['-hide_banner', '-re', '-f', 'lavfi', '-i', 'testsrc', '-f', 'null', '-'], { label: 'test', stdout: false });
    const [a, b] = await Promise.all([p.kill(), p.kill()]);
    expect(a).toBe(b);
    expect(a.signal === 'SIGTERM' || a.code !== null).toBe(true);
    const bad = FfProcess.spawn('ffprobe', ['-v', 'error', join(tmp.dir, 'x.mp4')], { label: 'x' });
    expect((await bad.exited).code).not.toBe(0);
    expect(bad.stderrTail()).toMatch(/No such file or directory/);
  });
});

describe('FrameAssembler', () => {
  it('cuts arbitrary chunks into exact frames', () => {
    const frameBytes = 12;
    const stream = Uint8Array.from({ length: frameBytes * 7 + 5 }, (_, i) => i % 251);
    const asm = new FrameAssembler(frameBytes);
    const out: Uint8Array[] = [];
    for (let o = 0, k = 1; o < stream.length; o += k, k = (k * 5 + 3) % 17 + 1) asm.push(stream.subarray(o, o + k), (f) => out.push(f));
    expect(out).toHaveLength(7);
    out.forEach((f, i) => expect(Array.from(f)).toEqual(Array.from(stream.subarray(i * frameBytes, (i + 1) * frameBytes))));
    expect(asm.pendingBytes).toBe(5);
    expect(new Set(out.map((f) => f.buffer)).size).toBe(7);
  });
});
