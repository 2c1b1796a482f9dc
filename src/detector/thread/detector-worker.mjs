// Worker-thread entry of ThreadedDetector. Plain JavaScript so that it loads without a TypeScript
// loader (under tsx and under vitest alike); it registers tsx for this thread, then runs the
// TypeScript side.
import { register } from 'tsx/esm/api';

register();
await import('./serve-detector.ts');
