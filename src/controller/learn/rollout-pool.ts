/**
 * Parallel rollouts on worker threads. Each worker imports the env-factory module (absolute path or
 * file URL; `.ts` works: the worker entry registers tsx, as the detector's worker does) and runs whole
 * episodes with a policy snapshot the main thread sends (its weights transferred, one copy per worker).
 *
 * Reproducible by construction: an episode depends only on (policy snapshot, spec, seed, ε), never on
 * the worker that ran it, and `run` returns the episodes in job order whatever order they finish in.
 * So 0 (in-process), 1 or N workers give the same bytes.
 */
import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ValidationError, describeValue, requireInteger } from '../../core/index.js';
import { type EnvModule, type EpisodeSpec, asEnvModule } from './env.js';
import { type EpisodeTransitions, runEpisode } from './episode.js';
import type { MlpNet } from './mlp-net.js';
import { HeadsQ, type RewardHeads } from './heads.js';
import type { FromRolloutWorker, RolloutWorkerData, RolloutWorkerError, ToRolloutWorker } from './rollout-protocol.js';

const WORKER_URL = new URL('./rollout-worker.mjs', import.meta.url);
/** How long close() waits for a worker to finish its episode before terminating it (ms). */
const CLOSE_GRACE_MS = 5000;

/** One episode to run. */
export interface RolloutJob {
  /** JSON-safe description handed to `createEnv`. */
  readonly spec: EpisodeSpec;
  /** 32-bit unsigned seed of the episode (env and action choices). */
  readonly seed: number;
  /** ε of the ε-greedy policy (0 = greedy). */
  readonly epsilon: number;
}

/** Options of {@link RolloutPool.create}. */
export interface RolloutPoolOptions {
  /** Env-factory module: an absolute path or a file: URL exporting `createEnv(spec, seed)`. */
  readonly envModule: string;
  /** Worker threads; 0 runs episodes on the calling thread (default {@link defaultRolloutWorkers}). */
  readonly workers?: number;
  /** Step limit per episode (default 1,000,000): a longer episode is cut (`truncated`). */
  readonly maxSteps?: number;
}

/** Default worker count: min(2, available cores). */
export function defaultRolloutWorkers(): number {
  return Math.min(2, availableParallelism());
}

/** file: URL of an env module given as an absolute path or URL; checks that the file exists. */
export function envModuleUrl(envModule: string): string {
  if (typeof envModule !== 'string' || envModule === '') throw new ValidationError(`env module: expected an absolute path or a file: URL, got ${describeValue(envModule)}`);
  let url: string;
  if (envModule.startsWith('file:')) url = envModule;
  else if (isAbsolute(envModule)) url = pathToFileURL(envModule).href;
  else throw new ValidationError(`env module: expected an absolute path or a file: URL, got ${JSON.stringify(envModule)}`, { envModule });
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new ValidationError(`env module ${path}: no such file`, { envModule });
  return url;
}

function checkJob(job: RolloutJob, where: string): void {
  if (!job || typeof job.spec !== 'object' || job.spec === null) throw new ValidationError(`${where}.spec: expected an object, got ${describeValue(job?.spec)}`);
  if (!Number.isInteger(job.seed) || job.seed < 0 || job.seed > 0xffffffff) throw new ValidationError(`${where}.seed: expected an integer in [0, 2^32), got ${describeValue(job.seed)}`);
  if (!(job.epsilon >= 0 && job.epsilon <= 1)) throw new ValidationError(`${where}.epsilon: expected a number in [0, 1], got ${describeValue(job.epsilon)}`);
}

function fromWorkerError(e: RolloutWorkerError, prefix: string): Error {
  const err = e.name === 'ValidationError' ? new ValidationError(`${prefix}${e.message}`, e.info ?? {}) : new Error(`${prefix}${e.message}`);
  if (e.name !== 'ValidationError') (err as { name: string }).name = e.name;
  return err;
}

interface Slot {
  readonly worker: Worker;
  job: number;
  exited: boolean;
}

interface RunState {
  readonly jobs: readonly RolloutJob[];
  readonly results: EpisodeTransitions[];
  next: number;
  inFlight: number;
  error: Error | undefined;
  readonly resolve: (r: EpisodeTransitions[]) => void;
  readonly reject: (e: Error) => void;
}

/** Runs batches of episodes on worker threads (see module comment). Create with {@link RolloutPool.create}. */
export class RolloutPool {
  /** Worker threads (0 = in-process). */
  readonly workerCount: number;
  readonly #slots: Slot[];
  readonly #envModule: EnvModule | undefined;
  readonly #maxSteps: number;
  #run: RunState | undefined;
  #broken: Error | undefined;
  #closed: Promise<void> | undefined;

  private constructor(slots: Slot[], envModule: EnvModule | undefined, maxSteps: number) {
    this.#slots = slots;
    this.#envModule = envModule;
    this.#maxSteps = maxSteps;
    this.workerCount = slots.length;
    slots.forEach((slot) => this.#adopt(slot));
  }

  /** Starts the workers and waits until each has imported the env module. */
  static async create(options: RolloutPoolOptions): Promise<RolloutPool> {
    const url = envModuleUrl(options.envModule);
    const workers = requireInteger(options.workers ?? defaultRolloutWorkers(), 'rollout workers', 0);
    const maxSteps = requireInteger(options.maxSteps ?? 1_000_000, 'rollout maxSteps', 1);
    if (workers === 0) return new RolloutPool([], asEnvModule(await import(url), url), maxSteps);
    const started = await Promise.allSettled(Array.from({ length: workers }, () => startWorker({ envModuleUrl: url, maxSteps })));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.terminate() : undefined)));
      throw (failed as PromiseRejectedResult).reason;
    }
    return new RolloutPool(started.map((s) => ({ worker: (s as PromiseFulfilledResult<Worker>).value, job: -1, exited: false })), undefined, maxSteps);
  }

  /**
   * Runs `jobs` with a snapshot of `net` taken now and returns their transitions in job order. One run at
   * a time. Rejects with the first failing job's error (naming the job) once the jobs in flight are back.
   */
  async run(net: MlpNet, jobs: readonly RolloutJob[], heads?: RewardHeads): Promise<EpisodeTransitions[]> {
    if (this.#closed) throw new ValidationError('rollout pool: closed');
    if (this.#broken) throw this.#broken;
    if (this.#run) throw new ValidationError('rollout pool: a run is already in progress');
    jobs.forEach((job, i) => checkJob(job, `rollout job ${i}`));
    if (this.#envModule) return this.#runHere(this.#envModule, net, jobs, heads);
    if (jobs.length === 0) return [];
    for (const slot of this.#slots) {
      const params = Float32Array.from(net.params);
      slot.worker.postMessage({ type: 'policy', sizes: [...net.sizes], params, ...(heads ? { heads } : {}) } satisfies ToRolloutWorker, [params.buffer]);
    }
    return new Promise((resolve, reject) => {
      this.#run = { jobs, results: new Array(jobs.length), next: 0, inFlight: 0, error: undefined, resolve, reject };
      for (const slot of this.#slots) this.#dispatch(slot);
    });
  }

  /**
   * Creates (and closes) the env of `spec` on a worker (or here with 0 workers) to read its sizes, e.g. to
   * size a net before the first episode. Warms that worker's env module as a side effect.
   */
  async probe(spec: EpisodeSpec, seed: number): Promise<{ stateSize: number; actionCount: number }> {
    if (this.#closed) throw new ValidationError('rollout pool: closed');
    if (this.#broken) throw this.#broken;
    if (this.#run) throw new ValidationError('rollout pool: a run is already in progress');
    checkJob({ spec, seed, epsilon: 0 }, 'env probe');
    const sizes = (e: { stateSize: number; actionCount: number }) => {
      requireInteger(e.stateSize, 'env.stateSize', 1);
      requireInteger(e.actionCount, 'env.actionCount', 1);
      return { stateSize: e.stateSize, actionCount: e.actionCount };
    };
    if (this.#envModule) {
      const env = await this.#envModule.createEnv(spec, seed);
      try {
        return sizes(env);
      } finally {
        env.close?.();
      }
    }
    const { worker } = this.#slots[0];
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromRolloutWorker): void => {
        if (m.type === 'probed' && m.job === -1) {
          worker.off('message', onMessage);
          try {
            resolve(sizes(m));
          } catch (e) {
            reject(e as Error);
          }
        } else if (m.type === 'failed' && m.job === -1) {
          worker.off('message', onMessage);
          reject(fromWorkerError(m.error, 'env probe: '));
        }
      };
      worker.on('message', onMessage);
      worker.postMessage({ type: 'probe', job: -1, spec, seed } satisfies ToRolloutWorker);
    });
  }

  async #runHere(mod: EnvModule, net: MlpNet, jobs: readonly RolloutJob[], heads?: RewardHeads): Promise<EpisodeTransitions[]> {
    const snapshot = heads ? new HeadsQ(net.clone(), heads) : net.clone();
    const out: EpisodeTransitions[] = [];
    for (const [i, job] of jobs.entries()) {
      try {
        const env = await mod.createEnv(job.spec, job.seed);
        try {
          out.push(runEpisode(env, snapshot, { epsilon: job.epsilon, seed: job.seed, maxSteps: this.#maxSteps }));
        } finally {
          env.close?.();
        }
      } catch (e) {
        if (!(e instanceof Error)) throw new Error(`rollout job ${i}: ${String(e)}`);
        e.message = `rollout job ${i}: ${e.message}`;
        throw e;
      }
    }
    return out;
  }

  #dispatch(slot: Slot): void {
    const run = this.#run;
    if (!run) return;
    if (run.error || run.next >= run.jobs.length) {
      if (run.inFlight === 0) this.#finish();
      return;
    }
    const j = run.next++;
    const job = run.jobs[j];
    slot.job = j;
    run.inFlight++;
    slot.worker.postMessage({ type: 'episode', job: j, spec: job.spec, seed: job.seed, epsilon: job.epsilon } satisfies ToRolloutWorker);
  }

  #finish(): void {
    const run = this.#run;
    if (!run) return;
    this.#run = undefined;
    if (run.error) run.reject(run.error);
    else run.resolve(run.results);
  }

  #adopt(slot: Slot): void {
    slot.worker.on('message', (m: FromRolloutWorker) => {
      const run = this.#run;
      if (!run || (m.type !== 'result' && m.type !== 'failed') || m.job !== slot.job || m.job < 0) return;
      slot.job = -1;
      run.inFlight--;
      if (m.type === 'result') {
        const { steps, totalReward, truncated, states, masks, actions, rewards, dones, terms } = m;
        run.results[m.job] = { steps, totalReward, truncated, states, masks, actions, rewards, dones, terms };
      } else {
        run.error ??= fromWorkerError(m.error, `rollout job ${m.job}: `);
      }
      this.#dispatch(slot);
    });
    const lost = (why: string): void => {
      if (this.#closed) return;
      this.#broken ??= new Error(`rollout pool: a worker thread ${why}; close the pool and create a new one`);
      const run = this.#run;
      if (run) {
        this.#run = undefined;
        run.reject(this.#broken);
      }
    };
    slot.worker.on('error', (e) => lost(`failed (${e.message})`));
    slot.worker.on('exit', (code) => {
      slot.exited = true;
      lost(`exited with code ${code}`);
    });
  }

  /** Ends the workers (after their current episode, at most CLOSE_GRACE_MS). Idempotent. */
  close(): Promise<void> {
    this.#closed ??= Promise.all(this.#slots.map(({ worker, exited }) => exited ? undefined : new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate().finally(resolve), CLOSE_GRACE_MS);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.postMessage({ type: 'close' } satisfies ToRolloutWorker);
    }))).then(() => {
      const run = this.#run;
      this.#run = undefined;
      run?.reject(new ValidationError('rollout pool: closed'));
    });
    return this.#closed;
  }
}

/** Starts one worker and waits until it has imported the env module. */
function startWorker(data: RolloutWorkerData): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: data });
    const done = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (m: FromRolloutWorker): void => {
      if (m.type === 'ready') {
        done();
        resolve(worker);
      } else if (m.type === 'start-failed') {
        done();
        void worker.terminate();
        reject(fromWorkerError(m.error, ''));
      }
    };
    const onError = (e: Error): void => {
      done();
      reject(new Error(`rollout worker: failed while starting: ${e.message}`));
    };
    const onExit = (code: number): void => {
      done();
      reject(new Error(`rollout worker: exited with code ${code} while starting`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
