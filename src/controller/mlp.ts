import { readFileSync } from 'node:fs';
import { type Decision, ValidationError, describeValue } from '../core/index.js';
import { DEFAULT_ACTIONS, NONE, formatDecision, parseAction } from './actions.js';
import type { ContextFeatures } from './context.js';
import { FEATURE_NAMES, featureVector } from './features.js';
import { type StateLayout, type StateVersion, STATE_VERSIONS, isStateVersion, listVersions, stateLayout } from './feature-layouts.js';
import type { TradeOff } from './features-v2.js';
import { combineHeads } from './learn/heads.js';
import { type Policy, canOffload } from './policy.js';
import { actionAllowed, actionQualityLevels } from './quality-floor.js';
import type { TrackerOptions } from '../tracker/index.js';

/** One dense layer: `weight` is [outputs][inputs] (PyTorch nn.Linear layout), `bias` is [outputs]. */
export interface DenseLayerJson {
  readonly weight: readonly (readonly number[])[];
  readonly bias: readonly number[];
}

/**
 * Learned-policy file, `type: "mlp"` (docs/controller.md):
 * input = (featureVector(ctx) − mean) / std; hidden layers dense + ReLU; last layer dense (no
 * activation) with one output per action; the decision is the action with the highest output.
 */
export interface MlpPolicyFile {
  readonly type: 'mlp';
  /**
   * Feature layout: 1 (default, FEATURE_NAMES, 14 inputs), 2 (FEATURE_NAMES_V2: v1 plus ages in
   * seconds, latency in frames and the trade-off λs; a λ-conditioned policy), 3 (FEATURE_NAMES_V3:
   * v2 plus object sizes at the lowest quality and what the last answer found), 4 (v3 without the frame
   * rate), 5 (v4 plus how well the last answer's detections matched the tracks) or 6 (v5 plus the last
   * answer's highest and mean detection score).
   */
  readonly featureVersion?: 1 | StateVersion;
  /** Feature names in input order; must equal the version's names when given. */
  readonly features?: readonly string[];
  /** Versions 2 to 6: the trade-off used when the caller gives none (normally the training default). */
  readonly tradeOff?: TradeOff;
  readonly normalisation: { readonly mean: readonly number[]; readonly std: readonly number[] };
  readonly weights: readonly DenseLayerJson[];
  /** Action table (`none` | `offload:<quality>:<katchup>`); default DEFAULT_ACTIONS. */
  readonly actions?: readonly string[];
  /** Cap on requests in flight (default 1). */
  readonly maxInFlight?: number;
  /**
   * Versions 2–4 only: the last layer holds one Q per reward part (recall, uplink, device power),
   * `3 · actions` outputs head-major, head j scaled by `scales[j]`; the net does not see the λ inputs
   * (they are zeroed) unless `conditioned` is true, and an action's value is
   * Q_0/s_0 − λc · Q_1/s_1 − λe · Q_2/s_2 (learn/heads.ts).
   */
  readonly rewardHeads?: { readonly scales: readonly number[]; readonly conditioned?: boolean };
  /**
   * True: the policy was trained with the quality floor (quality-floor.ts) and masks the offloads
   * below `ContextFeatures.qualityFloor`, as it was in training. Default false.
   */
  readonly qualityFloor?: boolean;
  /** Free-form: training run, λs, traces, date… Kept, not interpreted. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

interface Dense {
  readonly w: Float32Array;
  readonly b: Float32Array;
  readonly inputs: number;
  readonly outputs: number;
}

function fail(where: string, expected: string, got: unknown): never {
  throw new ValidationError(`${where}: expected ${expected}, got ${describeValue(got)}`, { where });
}

function numbers(v: unknown, where: string, length?: number): number[] {
  if (!Array.isArray(v)) fail(where, `an array of ${length ?? 'some'} numbers`, v);
  if (length !== undefined && v.length !== length) fail(where, `${length} numbers`, v);
  v.forEach((x, i) => { if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${where}[${i}]`, 'a finite number', x); });
  return v as number[];
}

/** A small multilayer perceptron, Float32 forward pass. */
export class Mlp {
  readonly #layers: Dense[];
  readonly inputs: number;
  readonly outputs: number;

  /** Validates shapes: layer i's inputs equal layer i−1's outputs. */
  constructor(layers: readonly DenseLayerJson[], inputs: number, where = 'weights') {
    if (!Array.isArray(layers) || layers.length === 0) fail(where, 'a non-empty array of {weight, bias} layers', layers);
    let n = inputs;
    this.#layers = layers.map((l, i) => {
      const at = `${where}[${i}]`;
      if (!l || typeof l !== 'object') fail(at, '{weight, bias}', l);
      if (!Array.isArray(l.weight) || l.weight.length === 0) fail(`${at}.weight`, 'a non-empty [outputs][inputs] array', l.weight);
      const outputs = l.weight.length;
      const w = new Float32Array(outputs * n);
      (l.weight as readonly unknown[]).forEach((row: unknown, r: number) => w.set(numbers(row, `${at}.weight[${r}]`, n), r * n));
      const b = Float32Array.from(numbers(l.bias, `${at}.bias`, outputs));
      const d: Dense = { w, b, inputs: n, outputs };
      n = outputs;
      return d;
    });
    this.inputs = inputs;
    this.outputs = n;
  }

  /** Forward pass: ReLU after every layer but the last. */
  forward(x: Float32Array): Float32Array {
    if (x.length !== this.inputs) throw new ValidationError(`mlp input: expected ${this.inputs} values, got ${x.length}`);
    let a = x;
    this.#layers.forEach((l, li) => {
      const out = new Float32Array(l.outputs);
      const last = li === this.#layers.length - 1;
      for (let o = 0; o < l.outputs; o++) {
        let s = l.b[o];
        const row = o * l.inputs;
        for (let i = 0; i < l.inputs; i++) s += l.w[row + i] * a[i];
        out[o] = last || s > 0 ? s : 0;
      }
      a = out;
    });
    return a;
  }
}

/** Index of the largest value; ties → lowest index. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * A policy that runs an MLP on the context features. Offloads below the quality floor are masked when
 * the file says `qualityFloor` (quality-floor.ts). Offload actions are masked while `inFlight` is at
 * the cap: the decision is then the best-scoring `none`-kind action (i.e. `none`).
 */
export class MlpPolicy implements Policy {
  readonly name: string;
  readonly actions: readonly Decision[];
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Feature layout of the inputs (1 to 6). */
  readonly featureVersion: 1 | StateVersion;
  /** The trade-off a version-2 to 6 policy is conditioned on (undefined for version 1). */
  readonly tradeOff: TradeOff | undefined;
  readonly #mlp: Mlp;
  readonly #mean: Float32Array;
  readonly #std: Float32Array;
  readonly #maxInFlight: number;
  /** Per action: its quality level (QUALITY_LEVELS index), −1 for `none`. */
  readonly #levels: Int8Array;
  /** The file says `qualityFloor`: offloads below the context's floor are masked. */
  readonly #honoursFloor: boolean;
  readonly #heads: { readonly scales: Float64Array; readonly hidden: readonly number[] } | undefined;
  /** The λ-conditioned input layout (versions 2 to 6); undefined for version 1. */
  readonly #layout: StateLayout | undefined;
  #lastOutputs: Float32Array | null = null;

  /**
   * Builds a policy from a parsed file; `source` names it in errors and in `name` (`file:<source>`).
   * `tradeOff` conditions a version-2 policy (default: the file's `tradeOff`); version 1 ignores it.
   * `name` overrides the policy's name (default `file:<source>`).
   */
  constructor(file: MlpPolicyFile, source = 'policy file', tradeOff?: Partial<TradeOff>, name?: string) {
    const at = (f: string) => `${source}: ${f}`;
    if (!file || typeof file !== 'object') fail(source, 'a JSON object', file);
    if (file.type !== 'mlp') fail(at('type'), '"mlp"', file.type);
    const version = file.featureVersion ?? 1;
    if (version !== 1 && !isStateVersion(version)) fail(at('featureVersion'), listVersions([1, ...STATE_VERSIONS]), version);
    this.#layout = version === 1 ? undefined : stateLayout(version);
    const names = this.#layout?.names ?? FEATURE_NAMES;
    const n = names.length;
    if (file.features !== undefined && (!Array.isArray(file.features) || file.features.join(',') !== names.join(','))) {
      fail(at('features'), `the v${version} feature list [${names.join(', ')}]`, file.features);
    }
    this.featureVersion = version;
    if (version >= 2) {
      const t = file.tradeOff;
      if (!t || typeof t !== 'object') fail(at('tradeOff'), '{lambdaChannel, lambdaEnergy} (numbers ≥ 0)', t);
      const merged = { lambdaChannel: t.lambdaChannel, lambdaEnergy: t.lambdaEnergy, ...Object.fromEntries(Object.entries(tradeOff ?? {}).filter(([, v]) => v !== undefined)) };
      for (const k of ['lambdaChannel', 'lambdaEnergy'] as const) {
        if (typeof merged[k] !== 'number' || !Number.isFinite(merged[k]) || merged[k] < 0) fail(at(`tradeOff.${k}`), 'a number ≥ 0', merged[k]);
      }
      this.tradeOff = Object.freeze(merged as TradeOff);
    } else {
      this.tradeOff = undefined;
    }
    const norm = file.normalisation;
    if (!norm || typeof norm !== 'object') fail(at('normalisation'), '{mean, std}', norm);
    this.#mean = Float32Array.from(numbers(norm.mean, at('normalisation.mean'), n));
    this.#std = Float32Array.from(numbers(norm.std, at('normalisation.std'), n));
    this.#std.forEach((s, i) => { if (!(s > 0)) fail(at(`normalisation.std[${i}]`), 'a number > 0', s); });
    const actionSpecs = file.actions ?? DEFAULT_ACTIONS;
    if (!Array.isArray(actionSpecs) || actionSpecs.length < 1) fail(at('actions'), 'a non-empty array of action strings', actionSpecs);
    this.actions = Object.freeze(actionSpecs.map((a, i) => {
      if (typeof a !== 'string') fail(at(`actions[${i}]`), 'an action string', a);
      return parseAction(a);
    }));
    this.#mlp = new Mlp(file.weights, n, at('weights'));
    if (file.rewardHeads !== undefined) {
      if (version === 1) fail(at('rewardHeads'), 'absent for featureVersion 1 (no trade-off inputs)', file.rewardHeads);
      const scales = numbers(file.rewardHeads?.scales, at('rewardHeads.scales'), 3);
      scales.forEach((s, i) => { if (!(s > 0)) fail(at(`rewardHeads.scales[${i}]`), 'a number > 0', s); });
      if (this.#mlp.outputs !== 3 * this.actions.length) fail(at('weights'), `a last layer with ${3 * this.actions.length} outputs (3 reward heads × ${this.actions.length} actions)`, `${this.#mlp.outputs} outputs`);
      const conditioned = file.rewardHeads.conditioned ?? false;
      if (typeof conditioned !== 'boolean') fail(at('rewardHeads.conditioned'), 'true or false', conditioned);
      this.#heads = { scales: Float64Array.from(scales), hidden: conditioned ? [] : [names.indexOf('lambdaChannel'), names.indexOf('lambdaEnergy')] };
    } else if (this.#mlp.outputs !== this.actions.length) {
      fail(at('weights'), `a last layer with ${this.actions.length} outputs (one per action)`, `${this.#mlp.outputs} outputs`);
    }
    const m = file.maxInFlight ?? 1;
    if (!Number.isInteger(m) || m < 1) fail(at('maxInFlight'), 'an integer ≥ 1', m);
    this.#maxInFlight = m;
    const floor = file.qualityFloor ?? false;
    if (typeof floor !== 'boolean') fail(at('qualityFloor'), 'true or false', floor);
    this.#honoursFloor = floor;
    this.#levels = actionQualityLevels(this.actions);
    this.metadata = Object.freeze({ ...(file.metadata ?? {}) });
    this.name = name ?? `file:${source}`;
  }

  /** Raw MLP outputs (one per action) for a context. */
  scores(ctx: ContextFeatures): Float32Array {
    const x = this.#layout && this.tradeOff ? this.#layout.vector(ctx, this.tradeOff) : featureVector(ctx);
    for (let i = 0; i < x.length; i++) x[i] = (x[i] - this.#mean[i]) / this.#std[i];
    const h = this.#heads;
    if (!h || !this.tradeOff) return this.#mlp.forward(x);
    for (const i of h.hidden) x[i] = 0;
    const c = [1 / h.scales[0], -this.tradeOff.lambdaChannel / h.scales[1], -this.tradeOff.lambdaEnergy / h.scales[2]];
    return Float32Array.from(combineHeads(this.#mlp.forward(x), c, 3, this.actions.length, new Float64Array(this.actions.length)));
  }

  /** Outputs of the last `decide` call (null before the first). */
  get lastScores(): Float32Array | null {
    return this.#lastOutputs;
  }

  decide(ctx: ContextFeatures): Decision {
    const s = this.scores(ctx);
    this.#lastOutputs = s;
    const free = canOffload(ctx, this.#maxInFlight);
    const floor = this.#honoursFloor ? ctx.qualityFloor : 0;
    let best = -1;
    for (let i = 0; i < s.length; i++) {
      if (actionAllowed(this.#levels[i], free, floor) && (best < 0 || s[i] > s[best])) best = i;
    }
    return best < 0 ? NONE : this.actions[best];
  }

  reset(): void {
    this.#lastOutputs = null;
  }

  /** Action table as strings (for reports). */
  actionNames(): string[] {
    return this.actions.map(formatDecision);
  }
}

/** Reads, parses and validates an `mlp` policy file. */
export function loadMlpPolicyFile(path: string): MlpPolicy {
  return new MlpPolicy(readPolicyJson(path) as MlpPolicyFile, path);
}

/** The tracker options a policy file's metadata says it was trained with (`edgetrack train --tracker`); undefined = the defaults. */
export function trainedTrackerOptions(metadata: Readonly<Record<string, unknown>> | undefined): Partial<TrackerOptions> | undefined {
  const t = metadata?.tracker;
  return t && typeof t === 'object' && !Array.isArray(t) ? (t as Partial<TrackerOptions>) : undefined;
}

/** Reads a JSON policy file with clear errors. */
export function readPolicyJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ValidationError(`policy file ${path}: cannot read (${(e as Error).message})`, { path });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError(`policy file ${path}: invalid JSON (${(e as Error).message})`, { path });
  }
}
