// first: sets ORT_DISABLE_TELEMETRY in the real process environment before any worker loads onnxruntime
import '../telemetry.js';
import { Worker } from 'node:worker_threads';
import { type DetectResult, type Frame, type ObjectDetector, ValidationError } from '../../core/index.js';
import { type DetectorOptions, resolveDetectorOptions } from '../options.js';
import type { FromWorker, ToWorker, WorkerError, WorkerInput, WorkerModelInfo } from './worker-protocol.js';

const WORKER_URL = new URL('./detector-worker.mjs', import.meta.url);

/** How long {@link ThreadedDetector.close} waits for the worker to release its session before terminating it. */
const CLOSE_GRACE_MS = 5_000;

interface PendingCall {
  readonly resolve: (r: DetectResult) => void;
  readonly reject: (e: Error) => void;
}

/** Default progress output while a built-in model is prepared (as {@link Detector.create}). */
const logToStderr = (line: string): void => void process.stderr.write(`${line}\n`);

/** Rebuilds an error that crossed the thread boundary (ValidationError keeps its class and info). */
function fromWorkerError(e: WorkerError): Error {
  if (e.name === 'ValidationError') return new ValidationError(e.message, { ...(e.info ?? {}) });
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/**
 * An {@link ObjectDetector} whose onnxruntime session lives in a worker thread. onnxruntime-node's
 * `session.run` blocks the calling thread for the whole inference (20–60 ms here), so a detector on
 * the main thread stalls everything else on that event loop: the edge server's sockets and
 * heartbeats, and — with an in-process edge — the device pipeline. Behind this class the caller's
 * thread only copies the input (a JPEG, or a raw frame) to the worker and gets the result back.
 *
 * Same contract as {@link Detector}: calls may overlap and are served one at a time; bad input
 * rejects with a ValidationError naming the problem. If the worker dies, the calls in flight reject
 * with an error saying so, and the next call starts a fresh worker. `close()` is idempotent.
 */
export class ThreadedDetector implements ObjectDetector {
  readonly name: string;
  /** What the worker loaded (family, path, input size). */
  readonly model: WorkerModelInfo;
  readonly #options: Omit<DetectorOptions, 'log'>;
  readonly #log: (line: string) => void;
  #worker: Worker | undefined;
  #starting: Promise<Worker> | undefined;
  readonly #pending = new Map<number, PendingCall>();
  #nextId = 1;
  #closed: Promise<void> | undefined;
  #recycling: Worker | undefined;
  /** Worker exits other than through close() (crashes); each one rejected the calls it held. */
  crashes = 0;

  private constructor(worker: Worker, model: WorkerModelInfo, options: Omit<DetectorOptions, 'log'>, log: (line: string) => void) {
    this.model = model;
    this.name = model.name;
    this.#options = options;
    this.#log = log;
    this.#adopt(worker);
  }

  /**
   * Validates the options on this thread, then starts a worker that loads the model (preparing a
   * built-in model first if needed). Rejects with the worker's ValidationError when the model cannot
   * be loaded.
   */
  static async create(options: DetectorOptions): Promise<ThreadedDetector> {
    const resolved = resolveDetectorOptions(options);
    const { log = logToStderr, ...rest } = options;
    const forWorker: Omit<DetectorOptions, 'log'> = { ...rest, model: resolved.model };
    const { worker, model } = await startWorker(forWorker, log);
    return new ThreadedDetector(worker, model, forWorker, log);
  }

  detect(input: Frame | Uint8Array): Promise<DetectResult> {
    if (this.#closed) return Promise.reject(new ValidationError(`detector ${this.name}: closed`, {}));
    let message: WorkerInput;
    if (input instanceof Uint8Array) message = { kind: 'bytes', bytes: input };
    else if (input && typeof input === 'object') {
      const { index, ptsMs, width, height, rgb } = input;
      message = { kind: 'frame', index, ptsMs, width, height, rgb };
    } else return Promise.reject(new ValidationError(`input: expected a Frame or JPEG/PNG bytes, got ${typeof input}`, {}));
    return new Promise<DetectResult>((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, { resolve, reject });
      this.#ensureWorker().then(
        (w) => {
          if (!this.#pending.has(id)) return; // rejected meanwhile (crash or close)
          w.postMessage({ type: 'detect', id, input: message } satisfies ToWorker);
        },
        (e: Error) => {
          this.#pending.delete(id);
          reject(e);
        },
      );
    });
  }

  /**
   * Ends the worker thread now — calls in flight reject, saying so — and lets the next call start a
   * fresh one (the model is loaded again). Releases the session's memory while idle, or recovers from
   * a session in a bad state. Not counted in {@link crashes}.
   */
  async recycle(): Promise<void> {
    const w = this.#worker;
    if (!w || this.#closed) return;
    this.#recycling = w;
    await w.terminate();
  }

  /** Asks the worker to release its session, then ends it. Idempotent; `detect` rejects afterwards. */
  close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  async #shutdown(): Promise<void> {
    const w = this.#worker ?? (await this.#starting?.catch(() => undefined));
    this.#worker = undefined;
    this.#failPending(new ValidationError(`detector ${this.name}: closed`, {}));
    if (!w) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void w.terminate().finally(resolve), CLOSE_GRACE_MS);
      w.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      w.postMessage({ type: 'close' } satisfies ToWorker);
    });
  }

  #ensureWorker(): Promise<Worker> {
    if (this.#worker) return Promise.resolve(this.#worker);
    this.#starting ??= startWorker(this.#options, this.#log).then(
      ({ worker }) => {
        this.#starting = undefined;
        if (this.#closed) {
          void worker.terminate();
          throw new ValidationError(`detector ${this.name}: closed`, {});
        }
        this.#adopt(worker);
        return worker;
      },
      (e: Error) => {
        this.#starting = undefined;
        throw e;
      },
    );
    return this.#starting;
  }

  #adopt(worker: Worker): void {
    this.#worker = worker;
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'result' || m.type === 'failed') {
        const call = this.#pending.get(m.id);
        if (!call) return;
        this.#pending.delete(m.id);
        if (m.type === 'result') call.resolve(m.result);
        else call.reject(fromWorkerError(m.error));
      } else if (m.type === 'log') this.#log(m.line);
    });
    const lost = (why: string): void => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      if (this.#closed) return;
      const recycled = this.#recycling === worker;
      if (recycled) this.#recycling = undefined;
      else this.crashes++;
      this.#failPending(new Error(`detector ${this.name}: its worker thread ${recycled ? 'was recycled' : why}; the next call starts a new one`));
    };
    worker.on('error', (e) => lost(`failed (${e.message})`));
    worker.on('exit', (code) => lost(`exited with code ${code}`));
  }

  #failPending(e: Error): void {
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    for (const c of calls) c.reject(e);
  }
}

/** Starts a worker and waits for its model to load. */
function startWorker(options: Omit<DetectorOptions, 'log'>, log: (line: string) => void): Promise<{ worker: Worker; model: WorkerModelInfo }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: options });
    const onMessage = (m: FromWorker): void => {
      if (m.type === 'log') log(m.line);
      else if (m.type === 'ready') {
        done();
        resolve({ worker, model: m.model });
      } else if (m.type === 'create-failed') {
        done();
        void worker.terminate();
        reject(fromWorkerError(m.error));
      }
    };
    const onError = (e: Error): void => {
      done();
      reject(new Error(`detector ${options.model}: worker thread failed while loading: ${e.message}`));
    };
    const onExit = (code: number): void => {
      done();
      reject(new Error(`detector ${options.model}: worker thread exited with code ${code} while loading`));
    };
    const done = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
