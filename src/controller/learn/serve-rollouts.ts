/**
 * Worker side of RolloutPool: imports the env-factory module once, keeps the latest policy snapshot and
 * runs one episode per `episode` message (in arrival order), posting the transitions back with their
 * buffers transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ValidationError } from '../../core/index.js';
import { type EnvModule, asEnvModule } from './env.js';
import { runEpisode } from './episode.js';
import { MlpNet } from './mlp-net.js';
import { HeadsQ, type QFunction } from './heads.js';
import type { FromRolloutWorker, RolloutWorkerData, RolloutWorkerError, ToRolloutWorker } from './rollout-protocol.js';

const port = parentPort;
if (!port) throw new Error('serve-rollouts.ts must run in a worker thread (see RolloutPool)');

const post = (m: FromRolloutWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
const toWorkerError = (e: unknown): RolloutWorkerError =>
  e instanceof Error
    ? { name: e.name, message: e.message, ...(e instanceof ValidationError ? { info: { ...e.info } } : {}) }
    : { name: 'Error', message: String(e) };

const data = workerData as RolloutWorkerData;
let envModule: EnvModule | undefined;
let net: QFunction | undefined;
try {
  envModule = asEnvModule(await import(data.envModuleUrl), data.envModuleUrl);
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'start-failed', error: toWorkerError(e) });
  port.close();
}

// Episodes run one after another: a message handler that awaits keeps their order.
let queue = Promise.resolve();
port.on('message', (m: ToRolloutWorker) => {
  queue = queue.then(() => handle(m));
});

async function handle(m: ToRolloutWorker): Promise<void> {
  if (m.type === 'close') {
    post({ type: 'closed' });
    port?.close();
    return;
  }
  if (m.type === 'policy') {
    const raw = MlpNet.fromParams(m.sizes, m.params);
    net = m.heads ? new HeadsQ(raw, m.heads) : raw;
    return;
  }
  if (m.type === 'probe') {
    try {
      if (!envModule) throw new Error('rollout worker: a probe arrived before the env module');
      const env = await envModule.createEnv(m.spec, m.seed);
      post({ type: 'probed', job: m.job, stateSize: env.stateSize, actionCount: env.actionCount });
      env.close?.();
    } catch (e) {
      post({ type: 'failed', job: m.job, error: toWorkerError(e) });
    }
    return;
  }
  try {
    if (!envModule || !net) throw new Error('rollout worker: an episode arrived before the env module and a policy');
    const env = await envModule.createEnv(m.spec, m.seed);
    try {
      const ep = runEpisode(env, net, { epsilon: m.epsilon, seed: m.seed, maxSteps: data.maxSteps });
      post(
        { type: 'result', job: m.job, steps: ep.steps, totalReward: ep.totalReward, truncated: ep.truncated, states: ep.states, masks: ep.masks, actions: ep.actions, rewards: ep.rewards, dones: ep.dones, terms: ep.terms ?? new Float64Array(0) },
        [ep.states.buffer, ep.masks.buffer, ep.actions.buffer, ep.rewards.buffer, ep.dones.buffer, ...(ep.terms ? [ep.terms.buffer] : [])] as ArrayBuffer[],
      );
    } finally {
      env.close?.();
    }
  } catch (e) {
    post({ type: 'failed', job: m.job, error: toWorkerError(e) });
  }
}
