// Worker-thread entry of RolloutPool. Plain JavaScript so that it loads without a TypeScript loader
// (under tsx, vitest or plain node alike); it registers tsx for this thread, so the worker code and a
// `.ts` env-factory module load as TypeScript. Same approach as src/detector/thread/detector-worker.mjs.
import { register } from 'tsx/esm/api';

register();
await import('./serve-rollouts.ts');
