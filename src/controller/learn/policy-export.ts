/**
 * Trained net → `mlp` policy file (docs/controller.md, "Learned-policy files"). Keys are written in a
 * fixed order and weights as shortest float32 decimals, so the same net gives the same bytes.
 */
import { ValidationError } from '../../core/index.js';
import type { MlpPolicyFile } from '../mlp.js';
import type { MlpNet } from './mlp-net.js';

/** What a policy file needs besides the weights. */
export interface PolicyFileParts {
  /** Input names in order (the policy loader checks them when present). */
  readonly features?: readonly string[];
  /** Input normalisation x' = (x − mean) / std (default mean 0, std 1: the net sees the state as is). */
  readonly normalisation?: { readonly mean: readonly number[]; readonly std: readonly number[] };
  /** Action table, one per net output (default: omitted, i.e. the loader's DEFAULT_ACTIONS). */
  readonly actions?: readonly string[];
  /** Cap on requests in flight (default 1). */
  readonly maxInFlight?: number;
  /** The net's outputs are reward heads (3 × actions) with these scales (MlpPolicyFile.rewardHeads). */
  readonly rewardHeads?: { readonly scales: readonly number[]; readonly conditioned?: boolean };
  /** Training run description (what it was trained on, λ range, seed, episodes, feature version, date). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** An `mlp` policy file object for `net` (see module comment). */
export function policyFileFromNet(net: MlpNet, parts: PolicyFileParts = {}): MlpPolicyFile {
  const n = net.inputs;
  const norm = parts.normalisation ?? { mean: new Array<number>(n).fill(0), std: new Array<number>(n).fill(1) };
  if (norm.mean.length !== n || norm.std.length !== n) {
    throw new ValidationError(`policy normalisation: expected mean and std of ${n} values (the net's inputs), got ${norm.mean.length} and ${norm.std.length}`);
  }
  if (parts.features && parts.features.length !== n) throw new ValidationError(`policy features: expected ${n} names (the net's inputs), got ${parts.features.length}`);
  const heads = parts.rewardHeads?.scales.length ?? 1;
  if (parts.actions && parts.actions.length * heads !== net.outputs) {
    throw new ValidationError(`policy actions: expected ${net.outputs / heads} actions (the net's outputs${heads > 1 ? ` / ${heads} reward heads` : ''}), got ${parts.actions.length}`);
  }
  return {
    type: 'mlp',
    ...(parts.features ? { features: [...parts.features] } : {}),
    normalisation: { mean: [...norm.mean], std: [...norm.std] },
    weights: net.toDenseLayers(),
    ...(parts.actions ? { actions: [...parts.actions] } : {}),
    maxInFlight: parts.maxInFlight ?? 1,
    ...(parts.rewardHeads ? { rewardHeads: { scales: [...parts.rewardHeads.scales], ...(parts.rewardHeads.conditioned ? { conditioned: true } : {}) } } : {}),
    ...(parts.metadata ? { metadata: { ...parts.metadata } } : {}),
  };
}
