/**
 * Runs policies over test cases (video × trace) in the simulator and tabulates mAR, bytes, device
 * energy and mean reward — the grid searches, λ sweeps and held-out comparisons of
 * docs/controller-results.md. The simulator reproduces replay runs (test/controller/training), so
 * these are the numbers `edgetrack run --clock replay` gives, at a fraction of the cost.
 */
import { createPolicy } from '../registry.js';
import type { TradeOff } from '../features-v2.js';
import type { EpisodeSpec } from './episode.js';
import { type LoadedEnvVideo, loadEnvVideo } from './env-video.js';
import { OffloadEnv } from './offload-env.js';
import type { TrackerOptions } from '../../tracker/index.js';

/** One test case: a video (with its ground truth) over a trace. */
export interface PolicyTestCase {
  readonly video: string;
  readonly gt?: string;
  readonly trace: string;
  readonly traceOffsetMs?: number;
  /** Short name of the video for tables. */
  readonly name?: string;
}

/** One policy on one case. */
export interface PolicyCaseResult {
  readonly policy: string;
  readonly video: string;
  readonly trace: string;
  readonly frames: number;
  readonly mar: number;
  readonly bytesSent: number;
  readonly offloads: number;
  readonly deviceEnergyJ: number;
  /** Mean reward per frame at the evaluation trade-off. */
  readonly meanReward: number;
  /** Mean uplink (Mbit/s) and policy-dependent device power (W), the reward's cost terms. */
  readonly uplinkMbps: number;
  readonly deviceW: number;
}

/** Options of {@link evaluatePolicies}. */
export interface EvaluatePoliciesOptions {
  readonly cases: readonly PolicyTestCase[];
  /** Policy specs (createPolicy), e.g. `periodic:5,low,stride:3`, `learned`, `file:x.json`. */
  readonly policies: readonly string[];
  readonly tradeOff: TradeOff;
  readonly device?: string;
  readonly model?: string;
  readonly maxFrames?: number;
  /** Options of the replayed tracker (default: the tracker's defaults). */
  readonly tracker?: Partial<TrackerOptions>;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Every policy on every case (see the module comment). */
export async function evaluatePolicies(o: EvaluatePoliciesOptions): Promise<PolicyCaseResult[]> {
  const loaded = new Map<string, LoadedEnvVideo>();
  const out: PolicyCaseResult[] = [];
  const total = o.cases.length * o.policies.length;
  try {
    for (const c of o.cases) {
      const key = `${c.video}|${c.gt ?? ''}`;
      let video = loaded.get(key);
      if (!video) {
        video = await loadEnvVideo(c.video, { ...(c.gt ? { gt: c.gt } : {}), ...(o.model ? { model: o.model } : {}), ...(o.maxFrames ? { maxFrames: o.maxFrames } : {}), ...(o.tracker ? { tracker: o.tracker } : {}) });
        loaded.set(key, video);
      }
      const spec: EpisodeSpec = {
        video: c.video, ...(c.gt ? { gt: c.gt } : {}), trace: c.trace, traceOffsetMs: c.traceOffsetMs ?? 0,
        ...o.tradeOff, ...(o.device ? { device: o.device } : {}), ...(o.model ? { model: o.model } : {}), ...(o.maxFrames ? { maxFrames: o.maxFrames } : {}),
      };
      const env = await OffloadEnv.create(spec, video);
      for (const p of o.policies) {
        let uplink = 0;
        let power = 0;
        const t = env.runPolicy(createPolicy(p, isConditioned(p) ? { tradeOff: o.tradeOff } : {}), (f) => {
          uplink += f.uplinkMbit;
          power += f.deviceW;
        });
        out.push({
          policy: p, video: c.name ?? c.video, trace: c.trace, frames: t.frames, mar: t.mar, bytesSent: t.bytesSent, offloads: t.offloads,
          deviceEnergyJ: t.deviceEnergyJ, meanReward: t.reward / t.frames, uplinkMbps: uplink / t.frames, deviceW: power / t.frames,
        });
        o.onProgress?.(out.length, total);
      }
    }
  } finally {
    for (const v of loaded.values()) v.close();
  }
  return out;
}

/** True for specs of λ-conditioned policies (they take the evaluation trade-off). */
function isConditioned(spec: string): boolean {
  return spec === 'learned' || spec.startsWith('file:');
}

/** Mean of a field per policy over cases, in the order policies first appear. */
export function meanByPolicy(rows: readonly PolicyCaseResult[]): { policy: string; mar: number; bytesSent: number; deviceEnergyJ: number; meanReward: number; uplinkMbps: number; cases: number }[] {
  const groups = new Map<string, PolicyCaseResult[]>();
  for (const r of rows) groups.set(r.policy, [...(groups.get(r.policy) ?? []), r]);
  const mean = (xs: readonly PolicyCaseResult[], f: (r: PolicyCaseResult) => number) => xs.reduce((a, r) => a + f(r), 0) / xs.length;
  return [...groups].map(([policy, xs]) => ({
    policy, cases: xs.length, mar: mean(xs, (r) => r.mar), bytesSent: mean(xs, (r) => r.bytesSent), deviceEnergyJ: mean(xs, (r) => r.deviceEnergyJ),
    meanReward: mean(xs, (r) => r.meanReward), uplinkMbps: mean(xs, (r) => r.uplinkMbps),
  }));
}
