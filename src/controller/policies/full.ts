import type { Decision } from '../../core/index.js';
import { NONE, offload } from '../actions.js';
import type { ContextFeatures } from '../context.js';
import { type Policy, canOffload } from '../policy.js';

/** `full`: offload whenever a request may be sent, best quality, full Katch-Up. The channel upper bound. */
export class FullPolicy implements Policy {
  readonly name: string;
  readonly #maxInFlight: number;
  readonly #decision = offload('full', 'full');

  constructor(maxInFlight = 1) {
    this.#maxInFlight = maxInFlight;
    this.name = maxInFlight === 1 ? 'full' : `full:inflight=${maxInFlight}`;
  }

  decide(ctx: ContextFeatures): Decision {
    return canOffload(ctx, this.#maxInFlight) ? this.#decision : NONE;
  }

  reset(): void {}
}
