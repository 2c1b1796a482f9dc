/** The agent's state: the v2 feature vector (src/controller/features-v2.ts). */
export { FEATURE_SIZE_V2 as STATE_SIZE, featureVectorV2 as stateVector } from '../features-v2.js';
