import type { Decision } from '../../core/index.js';
import { NONE, offload } from '../actions.js';
import type { ContextFeatures } from '../context.js';
import { type OffloadFeedback, type Policy, canOffload } from '../policy.js';

/**
 * `never`: one initial detection (best quality, full Katch-Up) at the first frame where a request may be
 * sent (frame 0 normally), then tracking only. If that offload is reported failed, it tries again.
 */
export class NeverPolicy implements Policy {
  readonly name: string;
  readonly #maxInFlight: number;
  #armed = true;
  readonly #decision = offload('full', 'full');

  constructor(maxInFlight = 1) {
    this.#maxInFlight = maxInFlight;
    this.name = maxInFlight === 1 ? 'never' : `never:inflight=${maxInFlight}`;
  }

  decide(ctx: ContextFeatures): Decision {
    if (!this.#armed || !canOffload(ctx, this.#maxInFlight)) return NONE;
    this.#armed = false;
    return this.#decision;
  }

  observe(feedback: OffloadFeedback): void {
    if (feedback.status === 'failed') this.#armed = true;
  }

  reset(): void {
    this.#armed = true;
  }
}
