import { fileURLToPath } from 'node:url';

/**
 * The learned policy shipped with edgetrack (`--policy learned`): `policies/default.json` at the
 * repository root, trained by `npm run train:default` (docs/controller.md).
 */
export const DEFAULT_POLICY_FILE = fileURLToPath(new URL('../../policies/default.json', import.meta.url));
