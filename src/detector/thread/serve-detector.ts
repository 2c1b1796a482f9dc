import { parentPort, workerData } from 'node:worker_threads';
import { type Frame, ValidationError } from '../../core/index.js';
import { Detector } from '../detector.js';
import type { DetectorOptions } from '../options.js';
import type { FromWorker, ToWorker, WorkerError } from './worker-protocol.js';

/** Worker side of ThreadedDetector: one Detector, requests served in arrival order. */
const port = parentPort;
if (!port) throw new Error('serve-detector.ts must run in a worker thread (see ThreadedDetector)');

const post = (m: FromWorker): void => port.postMessage(m);
const toWorkerError = (e: unknown): WorkerError =>
  e instanceof Error
    ? { name: e.name, message: e.message, ...(e instanceof ValidationError ? { info: { ...e.info } } : {}) }
    : { name: 'Error', message: String(e) };

const options = workerData as Omit<DetectorOptions, 'log'>;
let detector: Detector | undefined;
try {
  detector = await Detector.create({ ...options, log: (line) => post({ type: 'log', line }) });
  post({ type: 'ready', model: { name: detector.name, family: detector.family, modelPath: detector.modelPath, inputWidth: detector.inputWidth, inputHeight: detector.inputHeight } });
} catch (e) {
  post({ type: 'create-failed', error: toWorkerError(e) });
  port.close();
}

port.on('message', (m: ToWorker) => {
  if (!detector) return;
  if (m.type === 'close') {
    const d = detector;
    detector = undefined;
    void d.close().finally(() => {
      post({ type: 'closed' });
      port.close();
    });
    return;
  }
  // Detector.detect validates the input (size, bytes) and rejects with a ValidationError
  const input: Frame | Uint8Array = m.input.kind === 'bytes' ? m.input.bytes : { ...m.input };
  detector.detect(input).then(
    (result) => post({ type: 'result', id: m.id, result }),
    (e: unknown) => post({ type: 'failed', id: m.id, error: toWorkerError(e) }),
  );
});
