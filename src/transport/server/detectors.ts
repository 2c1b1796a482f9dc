import type { ObjectDetector } from '../../core/index.js';

/** The part of `src/detector` the edge server uses to create detectors by model name. */
interface DetectorModule {
  Detector: { create(options: Record<string, unknown>): Promise<ObjectDetector> };
}

/**
 * Creates the detectors for `specs`: ObjectDetector instances are used as given (not owned);
 * names are created with `Detector.create({ ...detectorOptions, model })` and owned (the server
 * closes them). On failure every detector created so far is closed before rethrowing.
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
      const mod = await loadDetectorModule();
      const d = await mod.Detector.create({ ...detectorOptions, model: spec });
      owned.push(d);
      detectors.push(d);
    }
  } catch (err) {
    await Promise.allSettled(owned.map((d) => d.close()));
    throw err;
  }
  return { detectors, owned };
}

async function loadDetectorModule(): Promise<DetectorModule> {
  // Resolved at run time so the transport layer only needs the detector module when names are used.
  const path = '../../detector/index.js';
  const mod = (await import(path)) as Partial<DetectorModule>;
  if (!mod.Detector || typeof mod.Detector.create !== 'function') {
    throw new Error('src/detector/index.js does not export Detector.create');
  }
  return mod as DetectorModule;
}
