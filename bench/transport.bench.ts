/**
 * Edge server throughput and latency over loopback WebSockets, against calling the detector
 * directly in the same process (baseline). For each model (YOLOX-nano 320 from ../shared when
 * present, and the default NanoDet): requests/s and round-trip latency p50/p95/p99 with 1, 4 and 16
 * clients (each back-to-back, one request in flight); and the server overhead at p50 with one
 * client, measured on interleaved pairs (direct detect(), then the same JPEG through the server) so
 * both see the same machine load: (round trip − direct) / direct, goal ≤ 20%. The JPEG is frame 0 of
 * videos/pets09-s2l1-300.mp4 (768x576, quality 80).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { ObjectDetector } from '../src/core/index.js';
import { Detector } from '../src/detector/index.js';
import { fileFrames } from '../src/video/index.js';
import { EdgeClient, silentLogger, startEdgeServer } from '../src/transport/index.js';

const VIDEO = fileURLToPath(new URL('../videos/pets09-s2l1-300.mp4', import.meta.url));
const YOLOX = fileURLToPath(new URL('../../shared/data/models/yolox_nano_320.onnx', import.meta.url));
const CLIENT_COUNTS = [1, 4, 16];
const RUN_MS = Number(process.env.EDGETRACK_BENCH_MS ?? 6000);

const pct = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const f1 = (x: number): string => x.toFixed(1);

async function benchJpeg(): Promise<Uint8Array> {
  for await (const frame of fileFrames(VIDEO, { endFrame: 1 })) {
    return new Uint8Array(await sharp(frame.rgb, { raw: { width: frame.width, height: frame.height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer());
  }
  throw new Error(`no frame in ${VIDEO}`);
}

async function direct(detector: ObjectDetector, jpeg: Uint8Array): Promise<{ ms: number[]; inference: number[] }> {
  for (let i = 0; i < 3; i++) await detector.detect(jpeg);
  const ms: number[] = [];
  const inference: number[] = [];
  const end = performance.now() + RUN_MS / 2;
  while (performance.now() < end || ms.length < 10) {
    const t = performance.now();
    const r = await detector.detect(jpeg);
    ms.push(performance.now() - t);
    inference.push(r.timings.inferenceMs);
  }
  return { ms, inference };
}

/** Interleaved pairs: direct detect() then one request through a one-client server. */
async function paired(detector: ObjectDetector, jpeg: Uint8Array) {
  const server = await startEdgeServer({ detectors: [detector], logger: silentLogger });
  const client = await EdgeClient.connect({ url: server.url, requestTimeoutMs: 60_000 });
  for (let i = 0; i < 3; i++) await client.detect(jpeg, { frameIndex: 0, captureMs: 0 });
  const directMs: number[] = [];
  const servedMs: number[] = [];
  const detectorMs: number[] = [];
  const inferenceMs: number[] = [];
  const end = performance.now() + RUN_MS;
  for (let i = 0; performance.now() < end || i < 10; i++) {
    const t = performance.now();
    await detector.detect(jpeg);
    directMs.push(performance.now() - t);
    const r = await client.detect(jpeg, { frameIndex: i, captureMs: i });
    servedMs.push(r.roundTripMs);
    const tm = r.timings;
    detectorMs.push(tm.decodeMs + tm.preMs + tm.inferenceMs + tm.postMs);
    inferenceMs.push(tm.inferenceMs);
  }
  await client.close();
  await server.close();
  return { directMs, servedMs, detectorMs, inferenceMs };
}

async function served(detector: ObjectDetector, jpeg: Uint8Array, clients: number) {
  const server = await startEdgeServer({ detectors: [detector], logger: silentLogger, perClientQueue: 2, globalQueue: 64, deadlineMs: 60_000 });
  const cs = await Promise.all(Array.from({ length: clients }, (_, i) => EdgeClient.connect({ url: server.url, name: `bench-${i}`, requestTimeoutMs: 60_000 })));
  for (const c of cs) await c.detect(jpeg, { frameIndex: 0, captureMs: 0 });
  const lat: number[] = [];
  const inference: number[] = [];
  const t0 = performance.now();
  const end = t0 + RUN_MS;
  await Promise.all(cs.map(async (c) => {
    for (let i = 1; performance.now() < end; i++) {
      const r = await c.detect(jpeg, { frameIndex: i, captureMs: i });
      lat.push(r.roundTripMs);
      inference.push(r.timings.inferenceMs);
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  await Promise.all(cs.map((c) => c.close()));
  await server.close();
  return { rps: lat.length / secs, lat, inference };
}

/**
 * Transport cost alone: round trips through the server to an ObjectDetector that answers at once
 * with no detections (labelled as such; it isolates protocol + WebSocket + scheduling time).
 */
async function transportOnly(jpeg: Uint8Array): Promise<void> {
  const instant: ObjectDetector = {
    name: 'instant',
    detect: async () => ({ detections: [], width: 768, height: 576, timings: { decodeMs: 0, preMs: 0, inferenceMs: 0, postMs: 0 } }),
    close: async () => {},
  };
  // rate limits off: this measures protocol + WebSocket + scheduling cost at ~1000 requests/s
  const server = await startEdgeServer({ detectors: [instant], logger: silentLogger, requestsPerSecond: 1e6, requestBurst: 1e6 });
  const client = await EdgeClient.connect({ url: server.url });
  for (let i = 0; i < 50; i++) await client.detect(jpeg, { frameIndex: i, captureMs: 0 });
  const xs: number[] = [];
  for (let i = 0; i < 500; i++) xs.push((await client.detect(jpeg, { frameIndex: i, captureMs: 0 })).roundTripMs);
  await client.close();
  await server.close();
  console.log(`transport only (instant detector, ${jpeg.length} B JPEG, 1 client, 500 requests): round trip p50 ${pct(xs, 0.5).toFixed(2)} ms, p95 ${pct(xs, 0.95).toFixed(2)} ms, p99 ${pct(xs, 0.99).toFixed(2)} ms`);
}

/** Runs the bench and prints one table per model. */
export async function run(): Promise<void> {
  const jpeg = await benchJpeg();
  console.log(`JPEG: frame 0 of ${VIDEO.split('/').pop()}, ${jpeg.length} bytes; ${RUN_MS} ms per configuration`);
  await transportOnly(jpeg);
  const models: { label: string; create: () => Promise<ObjectDetector> }[] = [];
  if (existsSync(YOLOX)) models.push({ label: 'yolox_nano_320 (../shared)', create: () => Detector.create({ model: YOLOX }) });
  else console.log(`skip YOLOX-nano 320: ${YOLOX} not found (../shared absent)`);
  models.push({ label: 'nanodet (default)', create: () => Detector.create({ model: 'nanodet' }) });
  for (const m of models) {
    const detector = await m.create();
    try {
      const base = await direct(detector, jpeg);
      const baseP50 = pct(base.ms, 0.5);
      console.log(`\n${m.label}: direct detect() p50 ${f1(baseP50)} ms (model inference p50 ${f1(pct(base.inference, 0.5))} ms), ${f1(1000 / baseP50)} req/s`);
      console.log('clients | req/s  | ×direct | p50 ms | p95 ms | p99 ms | inference p50');
      let one: Awaited<ReturnType<typeof served>> | undefined;
      for (const n of CLIENT_COUNTS) {
        const r = await served(detector, jpeg, n);
        if (n === 1) one = r;
        console.log(`${String(n).padStart(7)} | ${f1(r.rps).padStart(6)} | ${(r.rps / (1000 / baseP50)).toFixed(2).padStart(7)} | ${f1(pct(r.lat, 0.5)).padStart(6)} | ${f1(pct(r.lat, 0.95)).padStart(6)} | ${f1(pct(r.lat, 0.99)).padStart(6)} | ${f1(pct(r.inference, 0.5))}`);
      }
      void one;
      const pr = await paired(detector, jpeg);
      const d50 = pct(pr.directMs, 0.5);
      const s50 = pct(pr.servedMs, 0.5);
      const over = (s50 - d50) / d50;
      const nonDetector = pct(pr.servedMs.map((x, i) => x - pr.detectorMs[i]), 0.5);
      const inf50 = pct(pr.inferenceMs, 0.5);
      console.log(`server overhead, 1 client, p50 over ${pr.directMs.length} interleaved pairs: served ${f1(s50)} ms vs direct detect() ${f1(d50)} ms → ` +
        `${f1(s50 - d50)} ms = ${(100 * over).toFixed(1)}% (goal ≤ 20%: ${over <= 0.2 ? 'met' : 'NOT met'})`);
      console.log(`  round trip − the detector's own time (decode+pre+inference+post, edge-reported), p50: ${f1(nonDetector)} ms = ${(100 * nonDetector / inf50).toFixed(1)}% of model inference p50 ${f1(inf50)} ms`);
    } finally {
      await detector.close();
    }
  }
}
