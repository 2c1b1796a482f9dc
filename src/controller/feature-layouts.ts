/**
 * The feature layouts of λ-conditioned policies (docs/controller.md, "State, actions, agent"): the
 * agent's state in training and a policy file's inputs at run time. Version 3 by default; versions 2,
 * 4, 5 and 6 for recipes and fine-tuning of such policies. Version 1 (features.ts) has no λ inputs and
 * is not a state layout.
 */
import type { ContextFeatures } from './context.js';
import { FEATURE_NAMES_V2, FEATURE_SIZE_V2, type TradeOff, featureVectorV2 } from './features-v2.js';
import { FEATURE_NAMES_V3, FEATURE_SIZE_V3, featureVectorV3 } from './features-v3.js';
import { FEATURE_NAMES_V4, FEATURE_SIZE_V4, featureVectorV4 } from './features-v4.js';
import { FEATURE_NAMES_V5, FEATURE_SIZE_V5, featureVectorV5 } from './features-v5.js';
import { FEATURE_NAMES_V6, FEATURE_SIZE_V6, featureVectorV6 } from './features-v6.js';

/** Feature layouts the trainer can use. */
export type StateVersion = 2 | 3 | 4 | 5 | 6;

/** One layout: its size, names and vector function. */
export interface StateLayout {
  readonly version: StateVersion;
  readonly size: number;
  readonly names: readonly string[];
  readonly vector: (ctx: ContextFeatures, t: TradeOff) => Float32Array;
}

const LAYOUTS: Readonly<Record<StateVersion, StateLayout>> = Object.freeze({
  2: Object.freeze({ version: 2, size: FEATURE_SIZE_V2, names: FEATURE_NAMES_V2, vector: featureVectorV2 }),
  3: Object.freeze({ version: 3, size: FEATURE_SIZE_V3, names: FEATURE_NAMES_V3, vector: featureVectorV3 }),
  4: Object.freeze({ version: 4, size: FEATURE_SIZE_V4, names: FEATURE_NAMES_V4, vector: featureVectorV4 }),
  5: Object.freeze({ version: 5, size: FEATURE_SIZE_V5, names: FEATURE_NAMES_V5, vector: featureVectorV5 }),
  6: Object.freeze({ version: 6, size: FEATURE_SIZE_V6, names: FEATURE_NAMES_V6, vector: featureVectorV6 }),
});

/** The layout versions, ascending. */
export const STATE_VERSIONS: readonly StateVersion[] = Object.freeze(Object.values(LAYOUTS).map((l) => l.version));

/** True for a layout version (2 to 6). */
export function isStateVersion(v: unknown): v is StateVersion {
  return (STATE_VERSIONS as readonly unknown[]).includes(v);
}

/** `versions` as an error message lists them: "2, 3, 4, 5 or 6". */
export function listVersions(versions: readonly number[]): string {
  return `${versions.slice(0, -1).join(', ')} or ${versions.at(-1)}`;
}

/** The layout of `version` (default 3). Throws naming the value for anything else. */
export function stateLayout(version: unknown = 3): StateLayout {
  if (!isStateVersion(version)) throw new RangeError(`featureVersion: expected ${listVersions(STATE_VERSIONS)}, got ${JSON.stringify(version)}`);
  return LAYOUTS[version];
}
