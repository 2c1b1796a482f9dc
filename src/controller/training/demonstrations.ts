/**
 * Episodes of fixed policies recorded in the simulator as agent transitions (states, masks, actions,
 * rewards), for the replay buffer: the DQN agent learns off-policy from how the baselines fare,
 * instead of discovering periodic offloading from ε-greedy noise alone.
 */
import { mulberry32 } from '../../core/prng.js';
import { formatDecision } from '../actions.js';
import type { EpisodeTransitions } from '../learn/index.js';
import { deriveSeed } from '../learn/index.js';
import { createPolicy } from '../registry.js';
import { raiseToFloor } from '../quality-floor.js';
import { type TrainEpisodeSpec, concreteEpisode } from './env-module.js';

/**
 * The fixed policies the expert of an episode is chosen from: the heuristic and the periodic policies
 * that did best on the training data (every 3, 10 or 20 frames, low or medium quality, Katch-Up
 * stride:3 or full, and every 10 frames without Katch-Up).
 */
export function demonstrationPolicies(): string[] {
  const out = ['heuristic', 'periodic:10,low,off', 'periodic:20,low,stride:3'];
  for (const n of [3, 10]) for (const q of ['low', 'medium']) for (const k of ['stride:3', 'full']) out.push(`periodic:${n},${q},${k}`);
  return out;
}

/**
 * Records `count` expert episodes: for episode k, a spec drawn from `specs` (its λs and trace offset
 * drawn from the episode's own seed) is run with every policy of `policies`, and the one with the
 * highest return — the best fixed policy in hindsight for that episode — is kept. Deterministic in
 * `seed`.
 */
export async function recordDemonstrations(
  specs: readonly TrainEpisodeSpec[], policies: readonly string[], count: number, seed: number,
  onProgress?: (done: number, total: number) => void,
): Promise<EpisodeTransitions[]> {
  const rng = mulberry32(deriveSeed(seed, 7));
  const out: EpisodeTransitions[] = [];
  for (let k = 0; k < count; k++) {
    const spec = specs[Math.floor(rng() * specs.length)];
    const { env } = await concreteEpisode(spec, deriveSeed(seed, 8, k));
    let best: EpisodeTransitions | undefined;
    for (const p of policies) {
      const ep = recordEpisode(env, p);
      if (!best || ep.totalReward > best.totalReward) best = ep;
    }
    out.push(best!);
    onProgress?.(k + 1, count);
  }
  return out;
}

/** One episode of `spec` (a createPolicy spec) on `env`, as agent transitions. */
function recordEpisode(env: Awaited<ReturnType<typeof concreteEpisode>>['env'], spec: string): EpisodeTransitions {
  {
    const policy = createPolicy(spec);
    const actionOf = new Map(env.actions.map((d, i) => [formatDecision(d), i]));
    const n = env.frames;
    const size = env.stateSize;
    const states = new Float32Array((n + 1) * size);
    const masks = new Uint8Array((n + 1) * env.actionCount);
    const actions = new Int32Array(n);
    const rewards = new Float64Array(n);
    const dones = new Uint8Array(n);
    const terms = new Float64Array(3 * n);
    policy.reset();
    let obs = env.reset(policy);
    let total = 0;
    for (let t = 0; t < n; t++) {
      states.set(obs.state, t * size);
      masks.set(obs.mask, t * env.actionCount);
      // a fixed policy knows no quality floor: where the agent's offloads are masked below it, raise them to it
      const decided = policy.decide(env.context);
      const decision = env.qualityFloor ? raiseToFloor(decided, env.context.qualityFloor) : decided;
      const a = actionOf.get(formatDecision(decision));
      if (a === undefined) throw new Error(`demonstration: ${policy.name} decided ${formatDecision(decision)}, not in the action table`);
      const s = env.step(a);
      actions[t] = a;
      rewards[t] = s.reward;
      terms.set(s.terms, 3 * t);
      dones[t] = s.done ? 1 : 0;
      total += s.reward;
      obs = s;
    }
    states.set(obs.state, n * size);
    masks.set(obs.mask, n * env.actionCount);
    return { steps: n, states, masks, actions, rewards, dones, terms, totalReward: total, truncated: false };
  }
}
