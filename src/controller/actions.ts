import {
  type Decision, type KatchupMode, QUALITY_LEVELS, ValidationError, formatKatchupMode, parseKatchupMode, qualityLevel,
} from '../core/index.js';

/** The shared "do nothing" decision. */
export const NONE: Decision = Object.freeze({ kind: 'none' });

/** An offload decision (frozen). */
export function offload(quality: string, katchup: KatchupMode | string): Decision {
  const k = typeof katchup === 'string' ? parseKatchupMode(katchup) : katchup;
  return Object.freeze({ kind: 'offload', quality: qualityLevel(quality), katchup: k });
}

/**
 * Parses an action string: `none` or `offload:<quality>:<katchup>` with quality one of the
 * QUALITY_LEVELS names and katchup `off`, `full` or `stride:S` (e.g. `offload:high:stride:3`).
 */
export function parseAction(spec: string): Decision {
  const s = String(spec).trim().toLowerCase();
  if (s === 'none') return NONE;
  const m = /^offload:([a-z]+):(.+)$/.exec(s);
  if (!m) {
    throw new ValidationError(`action: expected "none" or "offload:<${QUALITY_LEVELS.map((q) => q.name).join('|')}>:<off|full|stride:S>", got ${JSON.stringify(spec)}`, { spec });
  }
  return offload(m[1], m[2]);
}

/** Inverse of {@link parseAction}. */
export function formatDecision(d: Decision): string {
  return d.kind === 'none' ? 'none' : `offload:${d.quality.name}:${formatKatchupMode(d.katchup)}`;
}

/** Katch-Up modes of the default action table. */
export const DEFAULT_ACTION_KATCHUP: readonly string[] = Object.freeze(['off', 'stride:3', 'full']);

/**
 * Default action table of learned policies (13 actions): index 0 `none`, then for each quality (low,
 * medium, high, full) the Katch-Up modes off, stride:3, full.
 */
export const DEFAULT_ACTIONS: readonly string[] = Object.freeze([
  'none',
  ...QUALITY_LEVELS.flatMap((q) => DEFAULT_ACTION_KATCHUP.map((k) => `offload:${q.name}:${k}`)),
]);
