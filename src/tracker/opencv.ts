/**
 * Loading of OpenCV.js (`@techstark/opencv-js`, single-file WASM build, no threads, no SIMD).
 *
 * The Emscripten module object is "thenable" (`Module.then(f)` calls `f(Module)`), so awaiting it or
 * resolving a promise with it loops forever. {@link loadOpenCv} waits for runtime initialisation once
 * and returns a non-thenable view of the module (an object whose prototype is the module and whose
 * own `then` is `undefined`); the module itself is left untouched for other users. The module is
 * loaded with `require` (not `import`): ESM interop layers (vitest, bundlers) expose the module's
 * `then` on the namespace object, and awaiting the import then never settles.
 */
import { createRequire } from 'node:module';

/** The OpenCV.js namespace (classes such as `Mat`, functions such as `calcOpticalFlowPyrLK`, `HEAPU8`). */
export type OpenCv = typeof import('@techstark/opencv-js') & { readonly HEAPU8: Uint8Array };

/** An OpenCV `Mat` (WASM memory: call `.delete()` exactly once). */
export type CvMat = InstanceType<OpenCv['Mat']>;

let loading: Promise<OpenCv> | undefined;

interface EmscriptenModule {
  calledRun?: boolean;
  Mat?: unknown;
  onRuntimeInitialized?: () => void;
}

/**
 * Resolves with OpenCV.js once its WASM runtime is initialised. Cheap after the first call (same
 * promise). Loading takes about 0.4 s.
 */
export function loadOpenCv(): Promise<OpenCv> {
  loading ??= new Promise<OpenCv>((resolve, reject) => {
    let mod: EmscriptenModule;
    try {
      mod = createRequire(import.meta.url)('@techstark/opencv-js') as EmscriptenModule;
    } catch (e) {
      reject(e);
      return;
    }
    const done = () => {
      try {
        const view = Object.create(mod, { then: { value: undefined, enumerable: false } }) as OpenCv;
        if (typeof view.Mat !== 'function') throw new Error('OpenCV.js initialised without cv.Mat');
        resolve(view);
      } catch (e) {
        reject(e);
      }
    };
    if (mod.calledRun && typeof mod.Mat === 'function') {
      done();
      return;
    }
    const previous = mod.onRuntimeInitialized;
    mod.onRuntimeInitialized = () => {
      previous?.();
      done();
    };
  });
  return loading;
}

/** Current size of the WASM heap in bytes (never shrinks; grows when OpenCV allocates beyond it). */
export function wasmHeapBytes(cv: OpenCv): number {
  return cv.HEAPU8.length;
}
