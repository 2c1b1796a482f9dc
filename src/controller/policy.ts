import type { Decision } from '../core/index.js';
import type { ContextFeatures } from './context.js';

/** What happened to one offload, reported back by the pipeline to {@link Policy.observe}. */
export interface OffloadFeedback {
  /** Frame whose image was offloaded. */
  readonly frameIndex: number;
  /** `ok`: detections arrived and were applied; `failed`: error, timeout or edge gone. */
  readonly status: 'ok' | 'failed';
  /** Payload bytes sent. */
  readonly bytes: number;
  /** Send-to-applied latency (ms); NaN when failed. */
  readonly latencyMs: number;
  /** Detections returned (0 when failed). */
  readonly detectionCount: number;
}

/**
 * An offloading policy: one decision per frame. Contract:
 * - `decide` is called exactly once per frame, in frame order; it may keep state (reset by `reset`).
 * - The pipeline executes every `offload` decision (policies already respect `inFlight`); when it
 *   cannot, it reports `observe({status: 'failed'})`.
 * - `observe` (optional) receives the outcome of every offload, in completion order.
 */
export interface Policy {
  /** Canonical spec, e.g. `periodic:10,high,full` (createPolicy(name) recreates the policy). */
  readonly name: string;
  decide(ctx: ContextFeatures): Decision;
  /** Forget all state (start of a new video/episode). */
  reset(): void;
  observe?(feedback: OffloadFeedback): void;
}

/** Default cap on requests in flight: one, unless a policy spec says `inflight=K`. */
export const DEFAULT_MAX_IN_FLIGHT = 1;

/** True when another request may be sent. */
export function canOffload(ctx: ContextFeatures, maxInFlight: number): boolean {
  return ctx.inFlight < maxInFlight;
}
