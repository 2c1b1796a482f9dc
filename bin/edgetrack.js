#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so no build step is needed after `npm install`.
import { register } from 'tsx/esm/api';

register();
// before anything can load onnxruntime: ONNX Runtime telemetry off unless EDGETRACK_ONNX_TELEMETRY=1
await import('../src/detector/telemetry.ts');
// `edgetrack … | head`: once the reader exits, writes to stdout fail with EPIPE. That is the reader's
// choice, not an error: the command stops writing (see isBrokenPipe in src/cli/main.ts) and exits 0.
process.stdout.on('error', (err) => {
  if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
});
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
