/**
 * `npm run bench [-- name...]`: runs every `bench/*.bench.ts` (or those whose name contains one of the
 * given words) one after another in this process. Each bench module exports `run(): Promise<void>` and
 * prints its own table with ratios against a baseline measured in the same process.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  console.error(`bench: no bench file matches ${wanted.join(', ') || '(any)'} in ${dir}`);
  process.exit(2);
}
for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run: () => Promise<void> };
  await mod.run();
}
