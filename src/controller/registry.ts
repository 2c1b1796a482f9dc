import { QUALITY_LEVELS, ValidationError, parseKatchupMode, qualityLevel } from '../core/index.js';
import { MlpPolicy, type MlpPolicyFile, readPolicyJson } from './mlp.js';
import { FullPolicy } from './policies/full.js';
import { HEURISTIC_SPEC_KEYS, type HeuristicOptions, HeuristicPolicy } from './policies/heuristic.js';
import { NeverPolicy } from './policies/never.js';
import { PeriodicPolicy } from './policies/periodic.js';
import type { Policy } from './policy.js';
import type { TradeOff } from './features-v2.js';
import { DEFAULT_POLICY_FILE } from './default-policy.js';
import { type PolicySpec, checkOptionKeys, maxInFlightOption, parsePolicySpec, specNumber } from './spec.js';

/** A named way to build a policy from a spec. */
export interface PolicyKind {
  /** Spec name before the first `:` (lower-case). */
  readonly name: string;
  /** Usage, e.g. `periodic:N[,quality[,katchup]][,inflight=K]`. */
  readonly usage: string;
  readonly description: string;
  create(spec: PolicySpec, context?: PolicyContext): Policy;
}

/** What a caller may add to a spec: the trade-off a λ-conditioned learned policy runs at. */
export interface PolicyContext {
  /** λc / λe for λ-conditioned policies (feature version 2 to 6); others refuse it. */
  readonly tradeOff?: Partial<TradeOff>;
}

/** Loader for one `type` of learned-policy file (`file:path.json`). */
export type PolicyFileLoader = (json: Record<string, unknown>, path: string, context?: PolicyContext) => Policy;

const kinds = new Map<string, PolicyKind>();
const fileLoaders = new Map<string, PolicyFileLoader>();

/** Adds a policy kind to the registry (e.g. a DRL agent). Throws if the name is taken. */
export function registerPolicy(kind: PolicyKind): void {
  if (!/^[a-z][a-z0-9-]*$/.test(kind.name)) throw new ValidationError(`policy name: expected [a-z][a-z0-9-]*, got ${JSON.stringify(kind.name)}`);
  if (kinds.has(kind.name)) throw new ValidationError(`policy "${kind.name}" is already registered`);
  kinds.set(kind.name, kind);
}

/** Adds a learned-policy file type (the file's `type` field). Throws if the type is taken. */
export function registerPolicyFileType(type: string, loader: PolicyFileLoader): void {
  if (fileLoaders.has(type)) throw new ValidationError(`policy file type "${type}" is already registered`);
  fileLoaders.set(type, loader);
}

/** Registered policy kinds, in registration order: name, usage, description. */
export function listPolicies(): { name: string; usage: string; description: string }[] {
  return [...kinds.values()].map(({ name, usage, description }) => ({ name, usage, description }));
}

/** Registered learned-policy file types. */
export function listPolicyFileTypes(): string[] {
  return [...fileLoaders.keys()];
}

/**
 * Creates a policy from a spec: `never`, `periodic:10`, `periodic:5,low,stride:3`, `full`,
 * `minimal`, `heuristic`, `heuristic:maxage=20`, `file:policy.json`, or any registered kind. Every
 * built-in accepts `inflight=K` (default 1). Throws a ValidationError listing the valid forms.
 */
export function createPolicy(spec: string, context: PolicyContext = {}): Policy {
  if (typeof spec !== 'string' || spec.trim() === '') {
    throw new ValidationError(`policy: expected one of ${usages()}, got ${JSON.stringify(spec)}`);
  }
  const p = parsePolicySpec(spec);
  const kind = kinds.get(p.name);
  if (!kind) throw new ValidationError(`policy: unknown "${p.name}"; expected one of ${usages()}`, { spec });
  const policy = kind.create(p, context);
  const t = context.tradeOff;
  if (t && (t.lambdaChannel !== undefined || t.lambdaEnergy !== undefined) && !('tradeOff' in policy && (policy as { tradeOff?: unknown }).tradeOff)) {
    throw new ValidationError(`policy ${JSON.stringify(spec)}: --lambda-channel/--lambda-energy apply to λ-conditioned learned policies (learned, or file: with featureVersion 2 to 6) only`, { spec });
  }
  return policy;
}

function usages(): string {
  return [...kinds.values()].map((k) => k.usage).join(' | ');
}

function noPositional(p: PolicySpec, usage: string, max = 0): void {
  if (p.positional.length > max) {
    throw new ValidationError(`policy ${JSON.stringify(p.spec)}: too many arguments (usage: ${usage})`, { spec: p.spec });
  }
}

const qualityNames = QUALITY_LEVELS.map((q) => q.name).join('|');

function quality(p: PolicySpec, raw: string | undefined, fallback: string, usage: string) {
  try {
    return qualityLevel(raw ?? fallback);
  } catch (e) {
    throw new ValidationError(`policy ${JSON.stringify(p.spec)}: ${(e as Error).message} (usage: ${usage})`, { spec: p.spec });
  }
}

function katchup(p: PolicySpec, raw: string | undefined, fallback: string, usage: string) {
  try {
    return parseKatchupMode(raw ?? fallback);
  } catch (e) {
    throw new ValidationError(`policy ${JSON.stringify(p.spec)}: ${(e as Error).message} (usage: ${usage})`, { spec: p.spec });
  }
}

registerPolicy({
  name: 'never',
  usage: 'never[:inflight=K]',
  description: 'one initial detection (full quality, full Katch-Up), then tracking only',
  create(p) {
    noPositional(p, this.usage);
    checkOptionKeys(p, ['inflight'], this.usage);
    return new NeverPolicy(maxInFlightOption(p, this.usage));
  },
});

registerPolicy({
  name: 'periodic',
  usage: `periodic:N[,${qualityNames}[,off|full|stride:S]][,inflight=K][,floor=on|off]`,
  description: 'offload frames 0, N, 2N, … (deferred while busy); default quality high, Katch-Up full; floor=on: never below the quality floor',
  create(p) {
    noPositional(p, this.usage, 3);
    checkOptionKeys(p, ['inflight', 'floor'], this.usage);
    if (p.positional.length === 0) {
      throw new ValidationError(`policy ${JSON.stringify(p.spec)}: missing period N (usage: ${this.usage}, e.g. periodic:10)`, { spec: p.spec });
    }
    const period = specNumber(p, 'N', p.positional[0], 1, 1_000_000, true, this.usage);
    const q = quality(p, p.positional[1], 'high', this.usage);
    const k = katchup(p, p.positional[2], 'full', this.usage);
    const m = maxInFlightOption(p, this.usage);
    const floorRaw = p.options.get('floor') ?? 'off';
    if (floorRaw !== 'on' && floorRaw !== 'off') throw new ValidationError(`policy ${JSON.stringify(p.spec)}: floor: expected on or off, got ${JSON.stringify(floorRaw)} (usage: ${this.usage})`, { spec: p.spec });
    const floor = floorRaw === 'on';
    return new PeriodicPolicy({ period, quality: q, katchup: k, maxInFlight: m, qualityFloor: floor, name: PeriodicPolicy.specOf(period, q, k, m, floor) });
  },
});

registerPolicy({
  name: 'full',
  usage: 'full[:inflight=K]',
  description: 'offload whenever nothing is in flight, full quality, full Katch-Up',
  create(p) {
    noPositional(p, this.usage);
    checkOptionKeys(p, ['inflight'], this.usage);
    return new FullPolicy(maxInFlightOption(p, this.usage));
  },
});

/** Period of `minimal` (frames). */
export const MINIMAL_PERIOD = 30;

registerPolicy({
  name: 'minimal',
  usage: `minimal[:N][,inflight=K]`,
  description: `lowest quality, no Katch-Up, every N frames (default ${MINIMAL_PERIOD})`,
  create(p) {
    noPositional(p, this.usage, 1);
    checkOptionKeys(p, ['inflight'], this.usage);
    const period = p.positional[0] === undefined ? MINIMAL_PERIOD : specNumber(p, 'N', p.positional[0], 1, 1_000_000, true, this.usage);
    const m = maxInFlightOption(p, this.usage);
    const name = `minimal${period === MINIMAL_PERIOD ? '' : `:${period}`}${m === 1 ? '' : `${period === MINIMAL_PERIOD ? ':' : ','}inflight=${m}`}`;
    return new PeriodicPolicy({ period, quality: QUALITY_LEVELS[0], katchup: { kind: 'off' }, maxInFlight: m, name });
  },
});

registerPolicy({
  name: 'heuristic',
  usage: `heuristic[:key=value,…] (keys: ${Object.keys(HEURISTIC_SPEC_KEYS).join(', ')})`,
  description: 'thresholds on tracker confidence, motion, detection age and track-count changes',
  create(p) {
    noPositional(p, this.usage);
    checkOptionKeys(p, Object.keys(HEURISTIC_SPEC_KEYS), this.usage);
    const options: Partial<Record<keyof HeuristicOptions, number>> = {};
    for (const [key, raw] of p.options) {
      options[HEURISTIC_SPEC_KEYS[key]] = specNumber(p, key, raw, 0, Number.MAX_SAFE_INTEGER, false, this.usage);
    }
    const name = p.options.size ? `heuristic:${[...p.options].map(([k, v]) => `${k}=${v}`).join(',')}` : 'heuristic';
    return new HeuristicPolicy(options, name);
  },
});

registerPolicy({
  name: 'file',
  usage: 'file:PATH.json',
  description: 'learned policy from a JSON file ({type: "mlp", weights, normalisation, actions, metadata})',
  create(p, context) {
    if (!p.rest) throw new ValidationError(`policy ${JSON.stringify(p.spec)}: missing path (usage: ${this.usage})`, { spec: p.spec });
    const json = readPolicyJson(p.rest);
    if (!json || typeof json !== 'object' || Array.isArray(json)) {
      throw new ValidationError(`policy file ${p.rest}: expected a JSON object with a "type" field`, { path: p.rest });
    }
    const type = (json as Record<string, unknown>).type;
    const loader = typeof type === 'string' ? fileLoaders.get(type) : undefined;
    if (!loader) {
      throw new ValidationError(`policy file ${p.rest}: type: expected one of ${listPolicyFileTypes().join(', ')}, got ${JSON.stringify(type)}`, { path: p.rest });
    }
    return loader(json as Record<string, unknown>, p.rest, context);
  },
});

registerPolicy({
  name: 'learned',
  usage: 'learned[:lambdac=X,lambdae=Y]',
  description: 'the learned policy shipped with edgetrack (policies/default.json, λ-conditioned: λc mAR per Mbit/s, λe mAR per W)',
  create(p, context) {
    noPositional(p, this.usage);
    checkOptionKeys(p, ['lambdac', 'lambdae'], this.usage);
    const fromSpec = (k: string) => (p.options.has(k) ? specNumber(p, k, p.options.get(k)!, 0, 1000, false, this.usage) : undefined);
    const tradeOff = {
      lambdaChannel: fromSpec('lambdac') ?? context?.tradeOff?.lambdaChannel,
      lambdaEnergy: fromSpec('lambdae') ?? context?.tradeOff?.lambdaEnergy,
    };
    const file = readPolicyJson(DEFAULT_POLICY_FILE) as MlpPolicyFile;
    const t = { ...file.tradeOff, ...Object.fromEntries(Object.entries(tradeOff).filter(([, v]) => v !== undefined)) };
    return new MlpPolicy(file, DEFAULT_POLICY_FILE, tradeOff, `learned:lambdac=${t.lambdaChannel},lambdae=${t.lambdaEnergy}`);
  },
});

registerPolicyFileType('mlp', (json, path, context) => new MlpPolicy(json as unknown as MlpPolicyFile, path, context?.tradeOff));
