import { ValidationError } from '../core/index.js';
import { DEFAULT_MAX_IN_FLIGHT } from './policy.js';

/** A policy spec split into its parts: `name[:arg,arg,key=value,…]`. */
export interface PolicySpec {
  /** The whole spec as given (trimmed). */
  readonly spec: string;
  /** Lower-cased name before the first `:`. */
  readonly name: string;
  /** Text after the first `:` ('' when absent), for policies that take it whole (e.g. `file:`). */
  readonly rest: string;
  /** Comma-separated arguments without `=`, in order. */
  readonly positional: readonly string[];
  /** `key=value` arguments (keys lower-cased). */
  readonly options: ReadonlyMap<string, string>;
}

/** Splits a policy spec. Never throws on content; policies validate their own arguments. */
export function parsePolicySpec(spec: string): PolicySpec {
  const s = String(spec).trim();
  const colon = s.indexOf(':');
  const name = (colon < 0 ? s : s.slice(0, colon)).trim().toLowerCase();
  const rest = colon < 0 ? '' : s.slice(colon + 1).trim();
  const positional: string[] = [];
  const options = new Map<string, string>();
  if (rest) {
    for (const part of rest.split(',').map((p) => p.trim())) {
      const eq = part.indexOf('=');
      if (eq < 0) positional.push(part);
      else options.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
    }
  }
  return { spec: s, name, rest, positional, options };
}

/** Throws when the spec has option keys outside `allowed`. */
export function checkOptionKeys(p: PolicySpec, allowed: readonly string[], usage: string): void {
  for (const k of p.options.keys()) {
    if (!allowed.includes(k)) {
      throw new ValidationError(
        `policy ${JSON.stringify(p.spec)}: unknown option "${k}"; ${allowed.length ? `valid options: ${allowed.join(', ')}` : 'this policy takes no options'} (usage: ${usage})`,
        { spec: p.spec, option: k },
      );
    }
  }
}

/** Parses a numeric option/argument with a range check and a clear message. */
export function specNumber(p: PolicySpec, field: string, raw: string, min: number, max: number, integer: boolean, usage: string): number {
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new ValidationError(
      `policy ${JSON.stringify(p.spec)}: ${field}: expected ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${JSON.stringify(raw)} (usage: ${usage})`,
      { spec: p.spec, field },
    );
  }
  return n;
}

/** Reads the common `inflight=K` option (default 1). */
export function maxInFlightOption(p: PolicySpec, usage: string, fallback = DEFAULT_MAX_IN_FLIGHT): number {
  const raw = p.options.get('inflight');
  return raw === undefined ? fallback : specNumber(p, 'inflight', raw, 1, 64, true, usage);
}
