/** The agent's state: feature layout v3 (docs/controller.md, "State, actions, agent"). */
export { FEATURE_SIZE_V3 as STATE_SIZE, featureVectorV3 as stateVector } from '../features-v3.js';
