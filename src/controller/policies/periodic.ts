import { type Decision, type KatchupMode, type QualityLevel, formatKatchupMode, requireInteger } from '../../core/index.js';
import { NONE } from '../actions.js';
import type { ContextFeatures } from '../context.js';
import { type Policy, canOffload } from '../policy.js';
import { raiseToFloor } from '../quality-floor.js';

/** Options of {@link PeriodicPolicy}. */
export interface PeriodicOptions {
  /** Offload every `period` frames (frames 0, N, 2N, …). */
  readonly period: number;
  readonly quality: QualityLevel;
  readonly katchup: KatchupMode;
  /** Cap on requests in flight. Default 1. */
  readonly maxInFlight?: number;
  /** Offloads below the context's quality floor are sent at the floor (quality-floor.ts). Default false. */
  readonly qualityFloor?: boolean;
  /** Canonical spec to report as `name`. */
  readonly name: string;
}

/**
 * `periodic:N` (and `minimal`): offloads on frames 0, N, 2N, … When a due frame finds a request in
 * flight, the offload is deferred to the first frame where one may be sent; the schedule keeps its
 * phase (the next due frame is the next multiple of N after the frame actually sent). With
 * `qualityFloor` (`floor=on`), an offload below the context's quality floor is sent at the floor.
 */
export class PeriodicPolicy implements Policy {
  readonly name: string;
  readonly period: number;
  readonly #decision: Decision;
  readonly #maxInFlight: number;
  readonly #qualityFloor: boolean;
  #nextDue = 0;

  constructor(options: PeriodicOptions) {
    this.period = requireInteger(options.period, 'period', 1);
    this.#maxInFlight = requireInteger(options.maxInFlight ?? 1, 'maxInFlight', 1);
    this.#decision = Object.freeze({ kind: 'offload', quality: options.quality, katchup: options.katchup });
    this.#qualityFloor = options.qualityFloor ?? false;
    this.name = options.name;
  }

  decide(ctx: ContextFeatures): Decision {
    if (ctx.frameIndex < this.#nextDue || !canOffload(ctx, this.#maxInFlight)) return NONE;
    this.#nextDue = (Math.floor(ctx.frameIndex / this.period) + 1) * this.period;
    return this.#qualityFloor ? raiseToFloor(this.#decision, ctx.qualityFloor) : this.#decision;
  }

  reset(): void {
    this.#nextDue = 0;
  }

  /** Canonical `periodic:N,quality,katchup[,inflight=K][,floor=on]` spec. */
  static specOf(period: number, quality: QualityLevel, katchup: KatchupMode, maxInFlight: number, qualityFloor = false): string {
    return `periodic:${period},${quality.name},${formatKatchupMode(katchup)}${maxInFlight === 1 ? '' : `,inflight=${maxInFlight}`}${qualityFloor ? ',floor=on' : ''}`;
  }
}
