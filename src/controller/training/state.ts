/**
 * The agent's state: a feature layout of a λ-conditioned policy (docs/controller.md, "State, actions,
 * agent"). Version 3 by default; versions 2, 4 and 5 for recipes and fine-tuning of such policies.
 */
import type { ContextFeatures } from '../context.js';
import { FEATURE_NAMES_V2, FEATURE_SIZE_V2, type TradeOff, featureVectorV2 } from '../features-v2.js';
import { FEATURE_NAMES_V3, FEATURE_SIZE_V3, featureVectorV3 } from '../features-v3.js';
import { FEATURE_NAMES_V4, FEATURE_SIZE_V4, featureVectorV4 } from '../features-v4.js';
import { FEATURE_NAMES_V5, FEATURE_SIZE_V5, featureVectorV5 } from '../features-v5.js';

/** Feature layouts the trainer can use. */
export type StateVersion = 2 | 3 | 4 | 5;

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
});

/** The layout of `version` (default 3). Throws naming the value for anything else. */
export function stateLayout(version: unknown = 3): StateLayout {
  const l = LAYOUTS[version as StateVersion];
  if (!l) throw new RangeError(`featureVersion: expected 2, 3, 4 or 5, got ${JSON.stringify(version)}`);
  return l;
}
