import { type Clock, type Frame, type Track, formatKatchupMode } from '../core/index.js';
import { type ContextFeatures, type Policy, makeContextFeatures } from '../controller/index.js';
import { nextQualityFloor, qualityIndex } from '../controller/quality-floor.js';
import { type DeviceProfile, EnergyMeter, katchupCostMs, trackingCostMs } from '../eval/index.js';
import type { MultiTracker } from '../tracker/index.js';
import { medianInPlace } from '../tracker/stats-util.js';
import type { AppliedOffload, FrameRow, FrameWork } from './frame-row.js';
import { afterNextPoll } from './after-next-poll.js';
import { type EncodedFrame, encodeFrameJpeg } from './jpeg-encode.js';
import type { Offloader, OffloadOutcome } from './offload-types.js';

/**
 * What the device session needs of a tracker: {@link MultiTracker} in the pipeline; the controller's
 * training simulator drives the same session with a tracker replayed from cached motion.
 */
export type TrackerPort = Pick<MultiTracker, 'update' | 'correct' | 'stats'>;

/** An offload decision (the `offload` case of a policy's {@link Decision}). */
export type OffloadDecision = Extract<ReturnType<Policy['decide']>, { kind: 'offload' }>;

/** Totals of one device run. */
export interface SessionCounters {
  frames: number;
  offloads: number;
  bytesSent: number;
  answered: number;
  failed: number;
  failuresByCode: Record<string, number>;
  katchupFrames: number;
  katchupFallbacks: number;
  latenciesMs: number[];
  trackerMs: number;
  katchupMs: number;
  encodeMs: number;
  /** Wall time spent waiting for a frame's own encode/send after tracking it. */
  encodeWaitMs: number;
  /** Wall time spent waiting for answers that were due (the real edge still working). */
  edgeWaitMs: number;
}

/** What a {@link DeviceSession} works with. */
export interface DeviceSessionParts {
  readonly tracker: TrackerPort;
  readonly policy: Policy;
  readonly offloader: Offloader;
  readonly clock: Clock;
  readonly device: DeviceProfile;
  readonly fps: number;
  /**
   * Advances the pipeline clock to a frame's capture time (replay: virtual time = ptsMs; live: no-op,
   * wall time moves by itself).
   */
  readonly advanceClock: (frame: Frame) => void;
  /** COCO classes to track (`--classes`): detections of other classes are dropped on arrival. Default: all. */
  readonly classes?: ReadonlySet<number>;
}

/**
 * The device side of edgetrack for one video: the state shared by the pipeline operators (tracker,
 * controller, offloader, energy meter, counters) and one method per stage. The operators in this
 * folder call these methods in order for every frame:
 *
 * 1. {@link decideAndOffload} — the policy decides on the context as it stands when the frame is
 *    captured (tracks, motion and confidence after the previous frame; detection age, channel
 *    estimates now); an offload starts the JPEG encode and send without waiting for it;
 * 2. {@link track} — the tracker runs on the frame while sharp encodes it on its own threads;
 * 3. {@link applyDue} — waits for this frame's send (so replay registers requests in frame order), then
 *    applies every answer due now with Katch-Up;
 * 4. {@link finish} — the output row.
 *
 * Deciding before tracking puts the request on the wire one tracking step earlier — the order the
 * replay clock models (a request leaves at capture time plus the device's encode time) — and lets
 * the encode, the uplink and the edge work while the device tracks.
 */
export class DeviceSession {
  readonly parts: DeviceSessionParts;
  readonly energy: EnergyMeter;
  readonly counters: SessionCounters = {
    frames: 0, offloads: 0, bytesSent: 0, answered: 0, failed: 0, failuresByCode: {},
    katchupFrames: 0, katchupFallbacks: 0, latenciesMs: [], trackerMs: 0, katchupMs: 0, encodeMs: 0, encodeWaitMs: 0, edgeWaitMs: 0,
  };
  #lastAppliedFrame = -1;
  #lastOffloadFrame = -1;
  #lastLatencyMs = 0;
  #lastOffloadBytes = 0;
  #lastAnswerDetections = 0;
  #lastAnswerMatched = 0;
  #lastAnswerMatchIou = 0;
  #lastAnswerMaxScore = 0;
  #lastAnswerMeanScore = 0;
  #qualityFloor = 0;
  #lastAnswerScale = 0;
  /** Tracks after the previous frame (tracking and answers applied): what the next decision sees. */
  #lastTracks: readonly Track[] = [];

  constructor(parts: DeviceSessionParts) {
    this.parts = parts;
    this.energy = new EnergyMeter(parts.device);
  }

  /**
   * Stage 1: advance the clock to the frame's capture time, build the context features, ask the
   * policy and, when it says offload, start encoding and sending the frame (not awaited: see
   * {@link applyDue}). Never throws.
   */
  decideAndOffload(frame: Frame): FrameWork {
    const work = this.begin(frame);
    const decision = this.decide(work);
    work.sent = decision.kind === 'offload' ? this.#encodeAndSend(work, decision) : undefined;
    return work;
  }

  /** Advances the clock to the frame's capture time and opens its work item (the first step of stage 1). */
  begin(frame: Frame): FrameWork {
    this.parts.advanceClock(frame);
    return { frame, dropped: false, tracks: this.#lastTracks, applied: [], decision: 'none', bytes: 0, clockMs: this.parts.clock.now() };
  }

  /** Stage 2: track the frame (the offload's encode, if any, runs meanwhile in sharp's threads). */
  track(work: FrameWork): FrameWork {
    const frame = work.frame;
    work.tracks = this.parts.tracker.update(frame);
    const stats = this.parts.tracker.stats;
    this.counters.trackerMs += stats.ms;
    this.energy.addTracking(trackingCostMs(this.parts.device, stats.trackCount, megapixels(frame)));
    return work;
  }

  /**
   * Stage 3: wait until this frame's offload (if any) is encoded and handed to the offloader — so
   * requests reach it in frame order whatever the wall-clock speed — then apply every answer that is
   * due now (Katch-Up).
   */
  async applyDue(work: FrameWork): Promise<FrameWork> {
    if (work.sent) {
      const t = performance.now();
      await work.sent;
      this.counters.encodeWaitMs += performance.now() - t;
    }
    const now = this.parts.clock.now();
    const t = performance.now();
    const outcomes = await this.parts.offloader.collect(now);
    this.counters.edgeWaitMs += performance.now() - t;
    this.applyOutcomes(work, outcomes);
    return work;
  }

  /**
   * Applies edge outcomes due at `work`'s frame, in order: answers are applied with Katch-Up
   * (`tracker.correct`), failures are counted; the policy observes each. Synchronous: the
   * training simulator calls it directly.
   */
  applyOutcomes(work: FrameWork, outcomes: readonly OffloadOutcome[]): void {
    for (const o of outcomes) {
      const latencyMs = Math.max(0, o.arrivalMs - o.ticket.sentMs);
      const requested = formatKatchupMode(o.ticket.katchup);
      if (o.status === 'failed') {
        this.counters.failed++;
        this.counters.failuresByCode[o.code] = (this.counters.failuresByCode[o.code] ?? 0) + 1;
        work.applied.push({ frameIndex: o.ticket.frameIndex, status: 'failed', latencyMs, detections: 0, katchup: requested, applied: 'none', framesRetracked: 0, code: o.code });
        this.parts.policy.observe?.({ frameIndex: o.ticket.frameIndex, status: 'failed', bytes: o.ticket.bytes, latencyMs: Number.NaN, detectionCount: 0 });
        continue;
      }
      this.energy.addRx(RESPONSE_BYTES_BASE + RESPONSE_BYTES_PER_DETECTION * o.detections.length, 1, o.arrivalMs);
      const classes = this.parts.classes;
      const detections = classes ? o.detections.filter((d) => classes.has(d.classId)) : o.detections;
      const report = this.parts.tracker.correct(o.ticket.frameIndex, detections, o.ticket.katchup);
      work.tracks = report.tracks;
      this.counters.answered++;
      this.counters.latenciesMs.push(latencyMs);
      this.counters.katchupFrames += report.framesRetracked;
      this.counters.katchupMs += report.ms;
      if (report.fellBack) this.counters.katchupFallbacks++;
      this.energy.addKatchup(katchupCostMs(this.parts.device, report.framesRetracked, report.tracks.length, megapixels(work.frame)));
      this.#lastAppliedFrame = Math.max(this.#lastAppliedFrame, o.ticket.frameIndex);
      this.#lastLatencyMs = latencyMs;
      this.#lastAnswerDetections = detections.length;
      this.#lastAnswerMatched = report.matched;
      this.#lastAnswerMatchIou = clamp01(report.meanMatchIou);
      const scores = detectionScores(detections);
      this.#lastAnswerMaxScore = scores.max;
      this.#lastAnswerMeanScore = scores.mean;
      this.#qualityFloor = nextQualityFloor(this.#qualityFloor, qualityIndex(o.ticket.quality.name), detections, outputTracks(report.tracks).length);
      this.#lastAnswerScale = Math.min(1, o.ticket.quality.maxSide / Math.max(o.ticket.frameWidth, o.ticket.frameHeight));
      const applied: AppliedOffload = {
        frameIndex: o.ticket.frameIndex, status: 'ok', latencyMs, detections: o.detections.length,
        katchup: requested, applied: formatKatchupMode(report.applied), framesRetracked: report.framesRetracked,
      };
      work.applied.push(applied);
      this.parts.policy.observe?.({ frameIndex: o.ticket.frameIndex, status: 'ok', bytes: o.ticket.bytes, latencyMs, detectionCount: o.detections.length });
    }
  }

  /**
   * Builds the context features for `work`'s frame — tracks and tracker figures as they stand after
   * the previous frame, detection age, in-flight requests and channel estimates now — stores them in
   * `work.context` and asks the policy.
   */
  decide(work: FrameWork): ReturnType<Policy['decide']> {
    return this.parts.policy.decide(this.contextFor(work));
  }

  /**
   * The context features of `work`'s frame (stored in `work.context`): what {@link decide} shows the
   * policy. The training simulator reads them to build the agent's state.
   */
  contextFor(work: FrameWork): ContextFeatures {
    const i = work.frame.index;
    const stats = this.parts.tracker.stats;
    const est = this.parts.offloader.estimates();
    const tracked = work.tracks.filter((t) => t.state === 'tracked');
    const sides = Float64Array.from(tracked, (t) => Math.sqrt(Math.max(0, t.box.x2 - t.box.x1) * Math.max(0, t.box.y2 - t.box.y1)));
    const minSide = sides.length ? Math.min(...sides) : 0;
    const context: ContextFeatures = makeContextFeatures({
      frameIndex: i,
      fps: this.parts.fps,
      motionPx: finiteOr(stats.meanMotionPx, 0),
      trackCount: tracked.length,
      lostCount: work.tracks.length - tracked.length,
      meanConfidence: clamp01(mean(tracked.map((t) => t.confidence))),
      minConfidence: clamp01(tracked.length ? Math.min(...tracked.map((t) => t.confidence)) : 0),
      detectionAgeFrames: i - this.#lastAppliedFrame,
      framesSinceLastOffload: i - this.#lastOffloadFrame,
      inFlight: this.parts.offloader.inFlight,
      uplinkMbps: finiteOr(est.uplinkMbps, 10),
      rttMs: finiteOr(est.rttMs, 50),
      edgeQueueMs: finiteOr(est.edgeQueueMs, 0),
      lastDetectionLatencyMs: this.#lastLatencyMs,
      lastOffloadBytes: this.#lastOffloadBytes,
      medianObjectSide: sides.length ? medianInPlace(sides) : 0,
      minObjectSide: minSide,
      frameLongSide: Math.max(work.frame.width, work.frame.height, 1),
      lastAnswerDetections: this.#lastAnswerDetections,
      lastAnswerScale: this.#lastAnswerScale,
      lastAnswerMatched: this.#lastAnswerMatched,
      lastAnswerMatchIou: this.#lastAnswerMatchIou,
      lastAnswerMaxScore: this.#lastAnswerMaxScore,
      lastAnswerMeanScore: this.#lastAnswerMeanScore,
      qualityFloor: this.#qualityFloor,
    });
    work.context = context;
    return context;
  }

  /** Encodes and sends the frame. Never rejects: an encode failure is counted and shown in the row. */
  async #encodeAndSend(work: FrameWork, decision: OffloadDecision): Promise<void> {
    let encoded: EncodedFrame;
    try {
      encoded = await encodeFrameJpeg(work.frame, decision.quality);
    } catch (e) {
      this.counters.failed++;
      this.counters.failuresByCode.encode = (this.counters.failuresByCode.encode ?? 0) + 1;
      work.decision = `failed:${(e as Error).message}`;
      return;
    }
    this.counters.encodeMs += encoded.encodeMs;
    this.sendEncoded(work, decision, encoded);
    // let the loop poll once, so an in-process edge reads the request before the next frame is tracked
    await afterNextPoll();
  }

  /**
   * Hands an encoded frame to the offloader and charges the device for it (encode, radio); counts
   * the offload. Synchronous: the training simulator calls it with cached JPEG sizes.
   */
  sendEncoded(work: FrameWork, decision: OffloadDecision, encoded: Pick<EncodedFrame, 'jpeg' | 'width' | 'height'>): void {
    const frame = work.frame;
    const deviceEncodeMs = this.energy.addEncode((encoded.width * encoded.height) / 1e6);
    const sentMs = this.parts.clock.kind === 'virtual' ? work.clockMs + deviceEncodeMs : this.parts.clock.now();
    const bytes = encoded.jpeg.byteLength;
    this.parts.offloader.send(encoded.jpeg, encoded.width, encoded.height, {
      frameIndex: frame.index, sentMs, bytes, quality: decision.quality, katchup: decision.katchup,
      frameWidth: frame.width, frameHeight: frame.height,
    });
    const est = this.parts.offloader.estimates();
    this.energy.addTx(bytes, (bytes * 8) / (Math.max(est.uplinkMbps, 0.01) * 1e3), sentMs);
    this.counters.offloads++;
    this.counters.bytesSent += bytes;
    this.#lastOffloadFrame = frame.index;
    this.#lastOffloadBytes = bytes;
    work.decision = `offload:${decision.quality.name},${formatKatchupMode(decision.katchup)}`;
    work.bytes = bytes;
  }

  /** Stage 4: the output row. The row's tracks are what the next frame's decision sees. */
  finish(work: FrameWork): FrameRow {
    this.counters.frames++;
    this.#lastTracks = work.tracks;
    return {
      frameIndex: work.frame.index,
      ptsMs: work.frame.ptsMs,
      clockMs: work.clockMs,
      dropped: work.dropped,
      tracks: work.tracks,
      decision: work.decision,
      bytes: work.bytes,
      applied: work.applied,
      context: work.context!,
      frame: work.frame,
    };
  }

  /** Charges the radio for every byte sent and idle power for the run; call once at the end. */
  chargeRunEnergy(durationMs: number): void {
    this.energy.addIdle(Math.max(0, durationMs));
  }
}

/** Approximate size of a detections response on the wire: header + JSON per detection. */
const RESPONSE_BYTES_BASE = 120;
const RESPONSE_BYTES_PER_DETECTION = 70;

const megapixels = (f: Frame): number => (f.width * f.height) / 1e6;
const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const clamp01 = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);
/** Highest and mean score of an answer's detections (0 and 0 when it has none). */
function detectionScores(detections: readonly { readonly score: number }[]): { readonly max: number; readonly mean: number } {
  if (!detections.length) return { max: 0, mean: 0 };
  let max = 0;
  let sum = 0;
  for (const d of detections) {
    const s = clamp01(d.score);
    max = Math.max(max, s);
    sum += s;
  }
  return { max, mean: sum / detections.length };
}
const finiteOr = (v: number, fallback: number): number => (Number.isFinite(v) && v >= 0 ? v : fallback);

/** Tracks of a row that count as output (for MOT files and metrics). */
export function outputTracks(tracks: readonly Track[]): readonly Track[] {
  return tracks.filter((t) => t.state === 'tracked');
}
