/**
 * Child-process script for onnx-telemetry.test.ts: loads the package's detector the way a library
 * user would (ThreadedDetector: the session lives in a worker thread), runs one detection and exits.
 */
import sharp from 'sharp';
import { ThreadedDetector } from '../../../src/detector/index.js';

const jpeg = await sharp(Buffer.alloc(64 * 48 * 3, 120), { raw: { width: 64, height: 48, channels: 3 } }).jpeg().toBuffer();
const detector = await ThreadedDetector.create({ model: 'nanodet', threads: 1 });
const result = await detector.detect(new Uint8Array(jpeg));
await detector.close();
process.stdout.write(`detected ${result.width}x${result.height}\n`);
