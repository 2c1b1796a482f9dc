#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so no build step is needed after `npm install`.
import { register } from 'tsx/esm/api';

register();
// before anything can load onnxruntime: ONNX Runtime telemetry off unless EDGETRACK_ONNX_TELEMETRY=1
await import('../src/detector/telemetry.ts');
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
