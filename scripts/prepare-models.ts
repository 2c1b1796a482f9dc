/**
 * `postinstall` hook and manual entry point: prepares the built-in detector models (NanoDet,
 * CenterNet) into the models directory (`$EDGETRACK_MODELS_DIR` or `<repo>/models`). A second run is a
 * no-op that loads neither the converter nor onnxruntime. On failure it prints a clear error and exits
 * 0 so that `npm install` still completes; the detector then retries the preparation on first use.
 * Set EDGETRACK_PREPARE_STRICT=1 to exit 1 instead.
 */
import { BUILTIN_MODELS } from '../src/detector/models/catalog.js';
import { modelsDir } from '../src/detector/models/models-dir.js';
import { isPrepared } from '../src/detector/models/prepared.js';

const t0 = Date.now();
const names = BUILTIN_MODELS.map((m) => m.name);
if (names.every((n) => isPrepared(n))) {
  console.log(`models: ${names.join(', ')} already prepared in ${modelsDir()} (${Date.now() - t0} ms)`);
} else {
  try {
    const { prepareModels } = await import('../src/detector/models/prepare.js');
    const results = await prepareModels(names, { log: (l) => console.log(l) });
    const converted = results.filter((r) => r.converted).map((r) => r.name);
    console.log(converted.length
      ? `models: prepared ${converted.join(', ')} in ${modelsDir()} (${((Date.now() - t0) / 1000).toFixed(1)} s)`
      : `models: ${names.join(', ')} were prepared by another process meanwhile (${modelsDir()})`);
  } catch (e) {
    console.error(`models: ERROR: could not prepare the default detector models: ${(e as Error).message}`);
    console.error('models: the detector will retry on first use; to retry now run `npx tsx scripts/prepare-models.ts` or `npx edgetrack models --prepare`.');
    process.exitCode = process.env.EDGETRACK_PREPARE_STRICT === '1' ? 1 : 0;
  }
}
