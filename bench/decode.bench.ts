/**
 * Decode throughput of the file source (rgb24 frames delivered to JS) against ffmpeg decoding the
 * same file to `-f null` (no conversion, no pipe) in the same process, plus two intermediate
 * baselines that show where the time goes: ffmpeg's rgb24 conversion, and the rgb24 pipe to Node.
 * Runs each variant 3× (interleaved) and reports the median. Goal: file source ≥ 0.8 × ffmpeg -f null.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBox } from '../src/core/index.js';
import { AnnotatedVideoWriter, ffmpegPath, fileFrames, probeVideo } from '../src/video/index.js';

const FILE = fileURLToPath(new URL('../videos/pets09-s2l1-300.mp4', import.meta.url));
const RUNS = 3;

function runFfmpeg(args: string[], drainStdout: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(ffmpegPath(), ['-hide_banner', '-nostdin', '-v', 'error', '-i', FILE, ...args], {
      stdio: ['ignore', drainStdout ? 'pipe' : 'ignore', 'inherit'],
    });
    c.stdout?.on('data', () => {});
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exit ${code}`))));
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the decode benchmark and prints a table. */
export async function run(): Promise<void> {
  const info = await probeVideo(FILE);
  const frames = info.frameCount;
  const variants: { name: string; fn: () => Promise<number> }[] = [
    { name: 'ffmpeg -f null (baseline: decode only)', fn: async () => { await runFfmpeg(['-f', 'null', '-'], false); return frames; } },
    { name: 'ffmpeg -pix_fmt rgb24 -f null (decode + RGB)', fn: async () => { await runFfmpeg(['-pix_fmt', 'rgb24', '-f', 'null', '-'], false); return frames; } },
    { name: 'ffmpeg rgb24 → pipe → Node (bytes discarded)', fn: async () => { await runFfmpeg(['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], true); return frames; } },
    {
      name: 'fileFrames → Frame objects (this library)',
      fn: async () => {
        let n = 0;
        for await (const f of fileFrames(FILE, { info })) n += f.rgb.length > 0 ? 1 : 0;
        return n;
      },
    },
  ];
  const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let r = 0; r < RUNS; r++) {
    for (const v of variants) {
      const t = performance.now();
      const n = await v.fn();
      const ms = performance.now() - t;
      if (n !== frames) throw new Error(`${v.name}: decoded ${n} frames, expected ${frames}`);
      times.get(v.name)!.push(ms);
    }
  }
  const base = median(times.get(variants[0].name)!);
  console.log(`file: ${FILE} (${info.width}x${info.height}, ${frames} frames, ${info.codec}), median of ${RUNS} runs`);
  console.log('variant'.padEnd(48), 'ms'.padStart(8), 'frames/s'.padStart(10), 'ratio'.padStart(7));
  for (const v of variants) {
    const ms = median(times.get(v.name)!);
    console.log(v.name.padEnd(48), ms.toFixed(0).padStart(8), ((frames * 1000) / ms).toFixed(0).padStart(10), (base / ms).toFixed(2).padStart(7));
  }
  const ours = median(times.get(variants[3].name)!);
  const pipeOnly = median(times.get(variants[2].name)!);
  console.log(`file source / ffmpeg -f null = ${(base / ours).toFixed(2)} (goal ≥ 0.80); file source / bare rgb24 pipe = ${(pipeOnly / ours).toFixed(2)}`);
  await encodeBench(info.frameCount);
}

/** Decode + draw 10 labelled boxes per frame + libx264 veryfast encode, against decode alone. */
async function encodeBench(frames: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'edgetrack-bench-'));
  try {
    const t = performance.now();
    const w = new AnnotatedVideoWriter(join(dir, 'a.mp4'), { fps: 10 });
    for await (const f of fileFrames(FILE)) {
      const boxes = Array.from({ length: 10 }, (_, k) => ({ id: k + 1, label: 'person 0.87', box: makeBox(20 + k * 70, 100 + (f.index % 50), 80 + k * 70, 250 + (f.index % 50)) }));
      await w.write(f, boxes, `frame ${f.index}`);
    }
    await w.close();
    const ms = performance.now() - t;
    console.log(`annotated writer (decode + draw 10 boxes + x264 veryfast): ${ms.toFixed(0)} ms, ${((frames * 1000) / ms).toFixed(0)} frames/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
