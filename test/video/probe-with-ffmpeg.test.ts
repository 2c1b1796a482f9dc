import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSource, probeVideo } from '../../src/video/index.js';
import { parseFfmpegInputInfo, probeWithFfmpeg } from '../../src/video/probe-with-ffmpeg.js';
import { levelOf, makeIndexClip, pixel, runFfmpeg, tempDir } from './helpers.js';

// banners as ffmpeg prints them for `ffmpeg -hide_banner -i <input>` (the first two from the 2018
// build @ffmpeg-installer ships, the third in the style of ffmpeg 6/7)
const MPEGTS = `Input #0, mpegts, from '/tmp/t.ts':
  Duration: 00:00:20.00, start: 1.600000, bitrate: 62 kb/s
  Program 1 
    Metadata:
      service_name    : Service01
      service_provider: FFmpeg
    Stream #0:0[0x100]: Video: h264 (High 4:4:4 Predictive) ([27][0][0][0] / 0x001B), yuv444p(progressive), 320x240 [SAR 1:1 DAR 4:3], 10 fps, 10 tbr, 90k tbn, 20 tbc
At least one output file must be specified
`;
const ROTATED_MP4 = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/tmp/rot90.mp4':
  Metadata:
    major_brand     : isom
    encoder         : Lavf58.24.100
  Duration: 00:00:02.00, start: 0.000000, bitrate: 43 kb/s
    Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 320x240 [SAR 1:1 DAR 4:3], 39 kb/s, 10 fps, 10 tbr, 10240 tbn, 20 tbc (default)
    Metadata:
      rotate          : 270
      handler_name    : VideoHandler
    Side data:
      displaymatrix: rotation of 90.00 degrees
At least one output file must be specified
`;
const PHONE_NEWER = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'IMG_0001.MOV':
  Duration: N/A, start: 0.000000, bitrate: N/A
  Stream #0:0[0x1](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono, fltp, 96 kb/s (default)
  Stream #0:1[0x2](und): Video: hevc (Main) (hvc1 / 0x31637668), yuv420p(tv, bt709, progressive), 1920x1080, 7835 kb/s, 29.97 fps, 29.97 tbr, 600 tbn (default)
    Side data:
      displaymatrix: rotation of -90.00 degrees
  Stream #0:2[0x3](und): Data: none (mebx / 0x7862656D), 0 kb/s (default)
    Side data:
      displaymatrix: rotation of 180.00 degrees
`;

describe('parseFfmpegInputInfo', () => {
  it.each([
    ['MPEG-TS (no rotation)', MPEGTS, { container: 'mpegts', durationMs: 20_000, codec: 'h264', pixFmt: 'yuv444p', width: 320, height: 240, fps: 10, rotation: 0 }],
    ['mp4 with a display matrix (wins over the rotate tag)', ROTATED_MP4, { container: 'mov,mp4,m4a,3gp,3g2,mj2', durationMs: 2000, codec: 'h264', pixFmt: 'yuv420p', width: 320, height: 240, fps: 10, rotation: 90 }],
    ['a phone video: audio first, commas inside the pixel format, no duration', PHONE_NEWER, { codec: 'hevc', pixFmt: 'yuv420p', width: 1920, height: 1080, fps: 29.97, rotation: -90 }],
  ])('%s', (_name, text, expected) => {
    const info = parseFfmpegInputInfo(text);
    expect(info).toMatchObject(expected);
    if (text === PHONE_NEWER) expect(info!.durationMs).toBeNaN();
  });

  it('the rotate tag counts when there is no display matrix; tbr stands in for a missing fps', () => {
    const text = `Input #0, matroska,webm, from 'x.mkv':
  Duration: 00:00:01.50, start: 0.000000, bitrate: 100 kb/s
    Stream #0:0: Video: vp9 (Profile 0), yuv420p(tv), 640x360, SAR 1:1 DAR 16:9, 25 tbr, 1k tbn (default)
    Metadata:
      rotate          : 180
`;
    expect(parseFfmpegInputInfo(text)).toMatchObject({ codec: 'vp9', width: 640, height: 360, fps: 25, rotation: 180, durationMs: 1500 });
  });

  it('no video stream: undefined', () => {
    expect(parseFfmpegInputInfo(`Input #0, wav, from 'a.wav':\n  Duration: 00:00:01.00, bitrate: 1411 kb/s\n    Stream #0:0: Audio: pcm_s16le, 44100 Hz, 2 channels, s16, 1411 kb/s\n`)).toBeUndefined();
    expect(parseFfmpegInputInfo('')).toBeUndefined();
  });
});

describe('probing with ffmpeg (the fallback when ffprobe crashes) and MPEG-TS inputs', () => {
  const N = 24;
  const tmp = tempDir();
  const mp4 = join(tmp.dir, 'index.mp4');
  const ts = join(tmp.dir, 'index.ts');
  beforeAll(async () => {
    await makeIndexClip(mp4, { frames: N });
    await runFfmpeg(['-i', mp4, '-c', 'copy', '-f', 'mpegts', ts]);
  });
  afterAll(() => tmp.cleanup());

  it('probeWithFfmpeg agrees with probeVideo on an mp4', async () => {
    const [a, b] = await Promise.all([probeWithFfmpeg(mp4), probeVideo(mp4)]);
    expect(a).toMatchObject({ width: b.width, height: b.height, fps: b.fps, frameCount: b.frameCount, codec: b.codec, pixFmt: b.pixFmt, rotation: 0 });
    expect(a.durationMs).toBeCloseTo(b.durationMs, -2);
  });

  it('probeVideo works on MPEG-TS (the bundled ffprobe dies with SIGSEGV there) and the frames decode', async () => {
    const info = await probeVideo(ts);
    expect(info).toMatchObject({ width: 96, height: 64, fps: 10, frameCount: N, codec: 'h264', rotation: 0 });
    const frames = await lastValueFrom(fileSource(ts).pipe(toArray()));
    expect(frames).toHaveLength(N);
    const f = frames[7];
    expect(Math.abs(pixel(f.rgb, 96, 24, 32)[0] - levelOf(7))).toBeLessThanOrEqual(6);
  });

  it('a file ffmpeg cannot read: PROBE_FAILED naming it, with ffmpeg\'s words', async () => {
    const bad = join(tmp.dir, 'not-a-video.ts');
    writeFileSync(bad, 'hello');
    await expect(probeWithFfmpeg(bad)).rejects.toThrow(new RegExp(`cannot probe ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ffmpeg found no video stream[\\s\\S]*Invalid data`));
  });
});
