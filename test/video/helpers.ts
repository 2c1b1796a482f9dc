import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/video/index.js';

/** Grey level that encodes frame `i`: spaced by 37 so neighbours differ a lot and survive compression. */
export const levelOf = (i: number): number => (i * 37) % 256;

/**
 * Synthetic frame `i`: left half grey `levelOf(i)`, top-right quarter pure red, bottom-right pure
 * blue (checks channel order).
 */
export function indexFrame(i: number, width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  const v = levelOf(i);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (x < width / 2) rgb.set([v, v, v], o);
      else if (y < height / 2) rgb.set([255, 0, 0], o);
      else rgb.set([0, 0, 255], o);
    }
  }
  return rgb;
}

/** Reads pixel (x, y) of a packed RGB buffer. */
export function pixel(rgb: Uint8Array, width: number, x: number, y: number): [number, number, number] {
  const o = (y * width + x) * 3;
  return [rgb[o], rgb[o + 1], rgb[o + 2]];
}

/** Which frame index in [0, 256) a decoded grey level most likely encodes, among candidates. */
export function decodeLevel(level: number, candidates: readonly number[]): number {
  let best = candidates[0];
  for (const c of candidates) if (Math.abs(levelOf(c) - level) < Math.abs(levelOf(best) - level)) best = c;
  return best;
}

/** Options of {@link makeIndexClip}. */
export interface ClipSpec {
  frames: number;
  width?: number;
  height?: number;
  fps?: number;
  /** `h264` (mp4, CRF 12, yuv420p) or `ffv1` (mkv, lossless, no frame count in the container). */
  codec?: 'h264' | 'ffv1';
}

/** Encodes `indexFrame(0..frames-1)` with ffmpeg into `path`. */
export async function makeIndexClip(path: string, spec: ClipSpec): Promise<void> {
  const { frames, width = 96, height = 64, fps = 10, codec = 'h264' } = spec;
  const enc = codec === 'h264'
    ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '12', '-pix_fmt', 'yuv420p']
    : ['-c:v', 'ffv1', '-pix_fmt', 'bgr0'];
  const child = spawn(ffmpegPath(), [
    '-hide_banner', '-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`,
    '-r', String(fps), '-i', 'pipe:0', ...enc, path,
  ], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  for (let i = 0; i < frames; i++) {
    if (!child.stdin.write(indexFrame(i, width, height))) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  const code = await new Promise<number | null>((r) => child.on('close', r));
  if (code !== 0) throw new Error(`makeIndexClip ${path}: ffmpeg exit ${code}: ${err}`);
}

/** A fresh temporary folder and its cleanup. */
export function tempDir(prefix = 'edgetrack-video-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** True while a process with this pid exists (signal 0 probe; ESRCH means gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Polls until `pid` is gone or `timeoutMs` passes; resolves to whether it is gone. */
export async function waitGone(pid: number, timeoutMs = 4000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !isAlive(pid);
}

/** Busy-waits (blocks the event loop) for `ms`: a deliberately slow synchronous consumer. */
export function blockFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* spin */ }
}

/** Runs ffmpeg (quiet, overwriting) to completion; rejects with its stderr on a non-zero exit. */
export async function runFfmpeg(args: readonly string[]): Promise<void> {
  const child = spawn(ffmpegPath(), ['-hide_banner', '-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const code = await new Promise<number | null>((r) => child.on('close', r));
  if (code !== 0) throw new Error(`ffmpeg ${args.join(' ')}: exit ${code}: ${err}`);
}

/**
 * Copies `src` to `dst` with a 90° display rotation in the container (what a phone writes for a
 * video shot upright), without re-encoding. Uses the `rotate` stream tag (ffmpeg ≤ 5) and, when the
 * result does not probe as rotated, the `-display_rotation` input option (ffmpeg ≥ 6.1).
 */
export async function rotateClip(src: string, dst: string): Promise<void> {
  await runFfmpeg(['-i', src, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', dst]);
  const { probeVideo } = await import('../../src/video/index.js');
  if ((await probeVideo(dst)).rotation !== 0) return;
  await runFfmpeg(['-display_rotation', '90', '-i', src, '-c', 'copy', dst]);
  if ((await probeVideo(dst)).rotation === 0) throw new Error(`rotateClip: ${ffmpegPath()} wrote no display rotation into ${dst}`);
}
