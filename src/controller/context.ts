import { QUALITY_LEVELS, ValidationError, describeValue, requireInRange, requireInteger } from '../core/index.js';

/**
 * What the controller knows at one frame. The pipeline builds one per frame (from the tracker, the
 * offloader and the channel monitor) and passes it to {@link Policy.decide}. Every field is a finite
 * number; when an estimate does not exist yet, pass the prior from {@link DEFAULT_CONTEXT}.
 */
export interface ContextFeatures {
  /** 0-based index of the frame being decided. */
  readonly frameIndex: number;
  /** Source frame rate (frames/s). */
  readonly fps: number;
  /** Tracker's median motion of the tracked objects (px/frame) at this frame; 0 without tracks. */
  readonly motionPx: number;
  /** Tracks in state `tracked`. */
  readonly trackCount: number;
  /** Tracks in state `lost` (optical flow failed, not yet expired). */
  readonly lostCount: number;
  /** Mean tracker confidence of the tracked tracks in [0, 1]; 0 without tracks. */
  readonly meanConfidence: number;
  /** Minimum tracker confidence in [0, 1]; 0 without tracks. */
  readonly minConfidence: number;
  /**
   * Frames since the frame whose detections were last applied (frameIndex − k). Before any detection
   * has been applied: frameIndex + 1 (as if one had been applied at frame −1).
   */
  readonly detectionAgeFrames: number;
  /** Frames since the last offload was sent; frameIndex + 1 before the first one. */
  readonly framesSinceLastOffload: number;
  /** Offload requests sent and not yet answered (or failed). */
  readonly inFlight: number;
  /** Uplink throughput estimate (Mbit/s). Prior: {@link DEFAULT_CONTEXT}.uplinkMbps. */
  readonly uplinkMbps: number;
  /** Round-trip time estimate (ms). */
  readonly rttMs: number;
  /** Edge queue wait estimate (ms), from the edge's reported timings. */
  readonly edgeQueueMs: number;
  /** Send-to-applied latency of the last answered offload (ms); 0 before the first. */
  readonly lastDetectionLatencyMs: number;
  /** Size of the last offload payload (bytes); 0 before the first. */
  readonly lastOffloadBytes: number;
  /** Median object size of the tracked tracks, √(width·height) in frame px; 0 without tracks. */
  readonly medianObjectSide: number;
  /** Smallest object size of the tracked tracks, √(width·height) in frame px; 0 without tracks. */
  readonly minObjectSide: number;
  /** Longer side of the frame (px): with the object sizes, how large objects are in an offloaded image of a given quality. */
  readonly frameLongSide: number;
  /** Detections (of the tracked classes) in the last answered offload; 0 before the first. */
  readonly lastAnswerDetections: number;
  /** Scale of the image the detector saw in the last answered offload (its longer side / frameLongSide, ≤ 1); 0 before the first. */
  readonly lastAnswerScale: number;
  /** Of the last answer's detections, those that matched a track as it was on the offloaded frame; 0 before the first. */
  readonly lastAnswerMatched: number;
  /** Mean IoU of those matches on the offloaded frame, in [0, 1] (how well the tracker had kept its boxes; 0 when none matched). */
  readonly lastAnswerMatchIou: number;
  /** Highest detection score of the last answer, in [0, 1] (how sure the detector was at the quality it got; 0 before the first answer or when it found nothing). */
  readonly lastAnswerMaxScore: number;
  /** Mean detection score of the last answer, in [0, 1]; 0 before the first answer or when it found nothing. */
  readonly lastAnswerMeanScore: number;
  /**
   * The quality floor (quality-floor.ts): index into QUALITY_LEVELS (0 `low` … 3 `full`) of the lowest
   * quality a policy that honours it may request; 0 until an answer that could start no track arrives
   * while nothing is tracked. Fixed policies ignore it.
   */
  readonly qualityFloor: number;
}

/** Priors used by {@link makeContextFeatures} for fields not given. */
export const DEFAULT_CONTEXT = Object.freeze({
  fps: 30,
  motionPx: 0,
  trackCount: 0,
  lostCount: 0,
  meanConfidence: 0,
  minConfidence: 0,
  inFlight: 0,
  uplinkMbps: 10,
  rttMs: 50,
  edgeQueueMs: 0,
  lastDetectionLatencyMs: 0,
  lastOffloadBytes: 0,
  medianObjectSide: 0,
  minObjectSide: 0,
  frameLongSide: 640,
  lastAnswerDetections: 0,
  lastAnswerScale: 0,
  lastAnswerMatched: 0,
  lastAnswerMatchIou: 0,
  lastAnswerMaxScore: 0,
  lastAnswerMeanScore: 0,
  qualityFloor: 0,
});

const INTEGER_FIELDS = ['frameIndex', 'trackCount', 'lostCount', 'detectionAgeFrames', 'framesSinceLastOffload', 'inFlight', 'lastOffloadBytes', 'lastAnswerDetections', 'lastAnswerMatched', 'qualityFloor'] as const;
const NON_NEGATIVE_FIELDS = ['motionPx', 'uplinkMbps', 'rttMs', 'edgeQueueMs', 'lastDetectionLatencyMs', 'medianObjectSide', 'minObjectSide'] as const;

/**
 * Builds a validated, frozen {@link ContextFeatures}: `frameIndex` is required; missing fields take
 * {@link DEFAULT_CONTEXT}, and `detectionAgeFrames` / `framesSinceLastOffload` default to frameIndex + 1
 * ("never"). Throws a ValidationError naming the field ("context.rttMs: expected …, got …").
 */
export function makeContextFeatures(values: Partial<ContextFeatures> & { readonly frameIndex: number }): ContextFeatures {
  const never = typeof values.frameIndex === 'number' ? values.frameIndex + 1 : Number.NaN;
  const ctx: ContextFeatures = {
    ...DEFAULT_CONTEXT,
    detectionAgeFrames: never,
    framesSinceLastOffload: never,
    ...values,
  };
  validateContext(ctx);
  return Object.freeze(ctx);
}

/** Throws a ValidationError unless every field of `ctx` is in range. */
export function validateContext(ctx: ContextFeatures): void {
  if (!ctx || typeof ctx !== 'object') throw new ValidationError(`context: expected an object, got ${describeValue(ctx)}`);
  for (const f of INTEGER_FIELDS) requireInteger(ctx[f], `context.${f}`, 0);
  for (const f of NON_NEGATIVE_FIELDS) requireInRange(ctx[f], `context.${f}`, 0, Number.MAX_VALUE);
  requireInRange(ctx.fps, 'context.fps', Number.MIN_VALUE, 1000);
  requireInRange(ctx.meanConfidence, 'context.meanConfidence', 0, 1);
  requireInRange(ctx.minConfidence, 'context.minConfidence', 0, 1);
  requireInRange(ctx.frameLongSide, 'context.frameLongSide', 1, Number.MAX_VALUE);
  requireInRange(ctx.lastAnswerScale, 'context.lastAnswerScale', 0, 1);
  requireInRange(ctx.lastAnswerMatchIou, 'context.lastAnswerMatchIou', 0, 1);
  requireInRange(ctx.lastAnswerMaxScore, 'context.lastAnswerMaxScore', 0, 1);
  requireInRange(ctx.lastAnswerMeanScore, 'context.lastAnswerMeanScore', 0, 1);
  requireInRange(ctx.qualityFloor, 'context.qualityFloor', 0, QUALITY_LEVELS.length - 1);
}
