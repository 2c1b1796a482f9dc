import type { ObjectDetector } from '../../core/index.js';

/**
 * Creates the detectors for `specs`: ObjectDetector instances are used as given (not owned);
 * names are created with `ThreadedDetector.create({ ...detectorOptions, model })` — the session runs
 * in a worker thread, so inference never blocks the server's event loop (sockets, heartbeats,
 * metrics) — and owned (the server closes them). On failure every detector created so far is closed before rethrowing.
 */
export async function resolveDetectors(
  specs: readonly (ObjectDetector | string)[],
  detectorOptions: Readonly<Record<string, unknown>>,
): Promise<{ detectors: ObjectDetector[]; owned: ObjectDetector[] }> {
  const detectors: ObjectDetector[] = [];
  const owned: ObjectDetector[] = [];
  try {
    for (const spec of specs) {
      if (typeof spec !== 'string') {
        detectors.push(spec);
        continue;
      }
      // imported lazily: the device side of transport never loads onnxruntime
      const { ThreadedDetector } = await import('../../detector/index.js');
      const d = await ThreadedDetector.create({ ...detectorOptions, model: spec } as Parameters<typeof ThreadedDetector.create>[0]);
      owned.push(d);
      detectors.push(d);
    }
  } catch (err) {
    await Promise.allSettled(owned.map((d) => d.close()));
    throw err;
  }
  return { detectors, owned };
}
