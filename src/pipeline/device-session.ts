import { type Clock, type Frame, type Track, formatKatchupMode } from '../core/index.js';
import { type ContextFeatures, type Policy, makeContextFeatures } from '../controller/index.js';
import { type DeviceProfile, EnergyMeter, katchupCostMs, trackingCostMs } from '../eval/index.js';
import type { MultiTracker } from '../tracker/index.js';
import type { AppliedOffload, FrameRow, FrameWork } from './frame-row.js';
import { encodeFrameJpeg } from './jpeg-encode.js';
import type { Offloader } from './offload-types.js';

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
}

/** What a {@link DeviceSession} works with. */
export interface DeviceSessionParts {
  readonly tracker: MultiTracker;
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
  /**
   * Overlap the JPEG encode of frame i with the tracking of frame i+1 (default false). The row of
   * frame i is then completed by {@link DeviceSession.settle} once frame i+1 has been tracked; every
   * state change still happens in the same order, so replay output is unchanged (only faster).
   */
  readonly overlapEncode?: boolean;
}

/**
 * The device side of edgetrack for one video: the state shared by the pipeline operators (tracker,
 * controller, offloader, energy meter, counters) and one method per stage. The operators in this
 * folder call these methods in order for every frame.
 */
export class DeviceSession {
  readonly parts: DeviceSessionParts;
  readonly energy: EnergyMeter;
  readonly counters: SessionCounters = {
    frames: 0, offloads: 0, bytesSent: 0, answered: 0, failed: 0, failuresByCode: {},
    katchupFrames: 0, katchupFallbacks: 0, latenciesMs: [], trackerMs: 0, katchupMs: 0, encodeMs: 0,
  };
  #lastAppliedFrame = -1;
  #lastOffloadFrame = -1;
  #lastLatencyMs = 0;
  #lastOffloadBytes = 0;
  #lastClockMs = 0;
  /** Overlap mode: the frame whose row waits for its encode/send to finish. */
  #held: { readonly work: FrameWork; readonly sent: Promise<void> } | undefined;

  constructor(parts: DeviceSessionParts) {
    this.parts = parts;
    this.energy = new EnergyMeter(parts.device);
  }

  /** Stage 1: advance the clock and track the frame. */
  track(frame: Frame): FrameWork {
    this.parts.advanceClock(frame);
    const tracks = this.parts.tracker.update(frame);
    const stats = this.parts.tracker.stats;
    this.counters.trackerMs += stats.ms;
    this.energy.addTracking(trackingCostMs(this.parts.device, stats.trackCount, megapixels(frame)));
    return { frame, dropped: false, tracks, applied: [], decision: 'none', bytes: 0 };
  }

  /** Stage 2: apply every offload answer that is due now (Katch-Up). */
  async applyDue(work: FrameWork): Promise<FrameWork> {
    const now = this.parts.clock.now();
    const outcomes = await this.parts.offloader.collect(now);
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
      const report = this.parts.tracker.correct(o.ticket.frameIndex, o.detections, o.ticket.katchup);
      work.tracks = report.tracks;
      this.counters.answered++;
      this.counters.latenciesMs.push(latencyMs);
      this.counters.katchupFrames += report.framesRetracked;
      this.counters.katchupMs += report.ms;
      if (report.fellBack) this.counters.katchupFallbacks++;
      this.energy.addKatchup(katchupCostMs(this.parts.device, report.framesRetracked, report.tracks.length, megapixels(work.frame)));
      this.#lastAppliedFrame = Math.max(this.#lastAppliedFrame, o.ticket.frameIndex);
      this.#lastLatencyMs = latencyMs;
      const applied: AppliedOffload = {
        frameIndex: o.ticket.frameIndex, status: 'ok', latencyMs, detections: o.detections.length,
        katchup: requested, applied: formatKatchupMode(report.applied), framesRetracked: report.framesRetracked,
      };
      work.applied.push(applied);
      this.parts.policy.observe?.({ frameIndex: o.ticket.frameIndex, status: 'ok', bytes: o.ticket.bytes, latencyMs, detectionCount: o.detections.length });
    }
    return work;
  }

  /** Stage 3: build the context features and ask the policy. */
  decide(work: FrameWork): { work: FrameWork; decision: ReturnType<Policy['decide']> } {
    const i = work.frame.index;
    const stats = this.parts.tracker.stats;
    const est = this.parts.offloader.estimates();
    const tracked = work.tracks.filter((t) => t.state === 'tracked');
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
    });
    work.context = context;
    const decision = this.parts.policy.decide(context);
    return { work, decision };
  }

  /**
   * Stage 4: encode and send the frame when the policy said so. Never throws. In overlap mode the
   * encode runs in sharp's thread pool while the next frame is tracked; {@link settle} finishes it.
   */
  async offload(work: FrameWork, decision: ReturnType<Policy['decide']>): Promise<FrameWork> {
    work.clockMs = this.parts.clock.now();
    const sent = decision.kind === 'offload' ? this.#encodeAndSend(work, decision) : Promise.resolve();
    if (this.parts.overlapEncode) {
      this.#held = { work, sent };
      return work;
    }
    await sent;
    return work;
  }

  /**
   * Overlap mode: waits for the held frame's encode and send, and returns its row (undefined when
   * nothing is held — always so without overlap). Call after tracking the next frame and before
   * applying answers, and once more at the end of the input.
   */
  async settle(): Promise<FrameRow | undefined> {
    const held = this.#held;
    if (!held) return undefined;
    this.#held = undefined;
    await held.sent;
    return this.finish(held.work);
  }

  /** Rows to emit once `work` has been through every stage: the held previous row in overlap mode, else this frame's. */
  rowsAfter(work: FrameWork): FrameRow[] {
    if (!this.parts.overlapEncode) return [this.finish(work)];
    return work.previousRow ? [work.previousRow] : [];
  }

  async #encodeAndSend(work: FrameWork, decision: Extract<ReturnType<Policy['decide']>, { kind: 'offload' }>): Promise<void> {
    const frame = work.frame;
    const sendAtMs = this.parts.clock.now();
    let encoded;
    try {
      encoded = await encodeFrameJpeg(frame, decision.quality);
    } catch (e) {
      this.counters.failed++;
      this.counters.failuresByCode.encode = (this.counters.failuresByCode.encode ?? 0) + 1;
      work.decision = `failed:${(e as Error).message}`;
      return;
    }
    this.counters.encodeMs += encoded.encodeMs;
    const deviceEncodeMs = this.energy.addEncode((encoded.width * encoded.height) / 1e6);
    const sentMs = this.parts.clock.kind === 'virtual' ? sendAtMs + deviceEncodeMs : this.parts.clock.now();
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

  /** Stage 5: the output row. */
  finish(work: FrameWork): FrameRow {
    this.counters.frames++;
    this.#lastClockMs = work.clockMs ?? this.parts.clock.now();
    return {
      frameIndex: work.frame.index,
      ptsMs: work.frame.ptsMs,
      clockMs: this.#lastClockMs,
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
const finiteOr = (v: number, fallback: number): number => (Number.isFinite(v) && v >= 0 ? v : fallback);

/** Tracks of a row that count as output (for MOT files and metrics). */
export function outputTracks(tracks: readonly Track[]): readonly Track[] {
  return tracks.filter((t) => t.state === 'tracked');
}
