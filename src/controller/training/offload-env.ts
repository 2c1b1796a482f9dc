/**
 * The controller's training environment: one episode = one video replayed on the replay clock over a
 * channel, with the device pipeline's own {@link DeviceSession} (context features, energy meter,
 * Katch-Up application, counters), the replay clock's timing ({@link CachedOffloader} on the same
 * {@link ReplayTimeline} as a replay run) and the edge's answers and JPEG sizes from the offload
 * cache. Nothing is encoded or detected; tracking cost depends on the {@link SimTracker}.
 */
import { type Decision, type Frame, type Track, VirtualClock } from '../../core/index.js';
import { type DeviceProfile, getDeviceProfile } from '../../eval/index.js';
import { DeviceSession, outputTracks } from '../../pipeline/device-session.js';
import { edgeTimeMs } from '../../pipeline/edge-time-profiles.js';
import type { FrameRow } from '../../pipeline/frame-row.js';
import { resolveChannel } from '../../pipeline/resolve-channel.js';
import type { ChannelModel } from '../../transport/index.js';
import { DEFAULT_ACTIONS, NONE, parseAction } from '../actions.js';
import type { ContextFeatures } from '../context.js';
import type { Policy } from '../policy.js';
import { actionAllowed, actionQualityLevels } from '../quality-floor.js';
import { type EpisodeSpec, resolveEpisodeSpec } from './episode.js';
import { CachedOffloader } from './cached-offloader.js';
import type { OffloadCache } from './offload-cache.js';
import { type RecallScorer, frameReward } from './reward.js';
import { type StateLayout, type StateVersion, stateLayout } from '../feature-layouts.js';
import type { SimTracker } from './sim-tracker.js';

/** What one simulated frame produced. */
export interface SimFrame {
  readonly frameIndex: number;
  readonly decision: Decision;
  readonly bytes: number;
  readonly tracks: readonly Track[];
  readonly reward: number;
  readonly recall: number;
  readonly uplinkMbit: number;
  readonly deviceW: number;
  readonly row: FrameRow;
}

/** Totals of a finished (or running) episode. */
export interface EpisodeTotals {
  readonly frames: number;
  readonly reward: number;
  /** Mean of the per-frame recall terms = the episode's mAR. */
  readonly mar: number;
  readonly bytesSent: number;
  readonly offloads: number;
  readonly katchupFrames: number;
  /** Device energy with idle (J), as a replay run's report. */
  readonly deviceEnergyJ: number;
}

/** The per-video inputs of an environment, shared by every episode on that video. */
export interface EnvVideo {
  readonly offloads: OffloadCache;
  readonly scorer: RecallScorer;
  readonly tracker: SimTracker;
}

/** Observation for an agent: state vector and allowed actions. */
export interface Observation {
  readonly state: Float32Array;
  readonly mask: Uint8Array;
}

const NO_PIXELS = new Uint8Array(0);

/**
 * A steppable episode. `reset()` starts frame 0 and returns the first observation; each `step`
 * executes one frame's decision and returns the frame's reward and the next observation. Baseline
 * policies run through {@link runPolicy}.
 */
export class OffloadEnv {
  readonly spec: ReturnType<typeof resolveEpisodeSpec>;
  readonly actions: readonly Decision[];
  readonly stateSize: number;
  readonly #layout: StateLayout;
  readonly #video: EnvVideo;
  readonly #channel: ChannelModel;
  readonly #device: DeviceProfile;
  readonly #edgeMs: number;
  readonly #frames: number;
  readonly #maxInFlight: number;
  /** Per action: its quality level, −1 for `none`. */
  readonly #levels: Int8Array;
  /** Offloads below the quality floor are masked. */
  readonly #honoursFloor: boolean;
  #session: DeviceSession | undefined;
  #offloader: CachedOffloader | undefined;
  #clock = new VirtualClock(0);
  #observer: Policy = PASSIVE;
  #index = 0;
  #work: ReturnType<DeviceSession['begin']> | undefined;
  #context: ContextFeatures | undefined;
  #energyBefore = 0;
  #totals = { reward: 0, recall: 0, frames: 0 };
  /** The reference policy's reward and its parts per frame: reward, recall, uplinkMbit, deviceW (4 per frame). */
  #baseline: Float64Array | undefined;
  readonly #terms = new Float64Array(3);
  readonly #zeros: Uint8Array;

  private constructor(spec: OffloadEnv['spec'], video: EnvVideo, channel: ChannelModel, actions: readonly string[], maxInFlight: number, layout: StateLayout, qualityFloor: boolean) {
    this.spec = spec;
    this.#layout = layout;
    this.stateSize = layout.size;
    this.#video = video;
    this.#channel = channel;
    this.#device = getDeviceProfile(spec.device);
    this.#edgeMs = edgeTimeMs(spec.model, spec.edgeMs);
    this.#frames = Math.min(video.offloads.frames, spec.maxFrames ?? Number.POSITIVE_INFINITY);
    this.actions = actions.map(parseAction);
    this.#maxInFlight = maxInFlight;
    this.#levels = actionQualityLevels(this.actions);
    this.#honoursFloor = qualityFloor;
    let maxBytes = 0;
    for (const rows of Object.values(video.offloads.byQuality)) for (const r of rows) maxBytes = Math.max(maxBytes, r.bytes);
    this.#zeros = new Uint8Array(maxBytes);
  }

  /**
   * Creates an environment for `spec` on a loaded video (`video.offloads` must cover spec.video).
   * `qualityFloor`: the agent's offloads below `ContextFeatures.qualityFloor` are masked (quality-floor.ts).
   */
  static async create(spec: EpisodeSpec, video: EnvVideo, options: { actions?: readonly string[]; maxInFlight?: number; featureVersion?: StateVersion; qualityFloor?: boolean } = {}): Promise<OffloadEnv> {
    const s = resolveEpisodeSpec(spec);
    const channel = await resolveChannel(s.trace, { offsetMs: s.traceOffsetMs });
    return new OffloadEnv(s, video, channel.model, options.actions ?? DEFAULT_ACTIONS, options.maxInFlight ?? 1, stateLayout(options.featureVersion ?? 3), options.qualityFloor ?? false);
  }

  /** True when the agent's offloads below the quality floor are masked. */
  get qualityFloor(): boolean {
    return this.#honoursFloor;
  }

  /** Number of actions (the action table's length). */
  get actionCount(): number {
    return this.actions.length;
  }

  /** Period of the channel's trace (ms): offsets beyond it wrap. */
  get tracePeriodMs(): number {
    return this.#channel.trace.periodMs;
  }

  /** Frames in an episode. */
  get frames(): number {
    return this.#frames;
  }

  /** The context features of the frame about to be decided. */
  get context(): ContextFeatures {
    if (!this.#context) throw new Error('OffloadEnv: reset() first');
    return this.#context;
  }

  /** Totals so far (the whole episode once done). */
  totals(): EpisodeTotals {
    const s = this.#session;
    const c = s?.counters;
    return {
      frames: this.#totals.frames,
      reward: this.#totals.reward,
      mar: this.#totals.frames ? this.#totals.recall / this.#frames : 0,
      bytesSent: c?.bytesSent ?? 0,
      offloads: c?.offloads ?? 0,
      katchupFrames: c?.katchupFrames ?? 0,
      deviceEnergyJ: s ? this.#runEnergyJ(s) : 0,
    };
  }

  /**
   * Starts an episode at frame 0. `observer` (a baseline policy being simulated) receives the
   * offload outcomes, as in the pipeline.
   */
  reset(observer: Policy = PASSIVE): Observation {
    this.#channel.reset();
    this.#video.tracker.reset();
    this.#clock = new VirtualClock(0);
    this.#offloader = new CachedOffloader(this.#channel, this.#edgeMs);
    this.#observer = observer;
    const clock = this.#clock;
    this.#session = new DeviceSession({
      tracker: this.#video.tracker, policy: observer, offloader: this.#offloader, clock, device: this.#device, fps: this.#video.offloads.fps,
      advanceClock: (frame) => clock.advanceTo(Math.max(clock.now(), frame.ptsMs)),
    });
    this.#index = 0;
    this.#energyBefore = 0;
    this.#totals = { reward: 0, recall: 0, frames: 0 };
    this.#begin();
    return this.#observe();
  }

  /**
   * Makes {@link step} return each frame's reward minus `policy`'s reward on the same frame of the same
   * episode (a reference run, simulated here once): a variance reduction for learning. The reference's
   * rewards do not depend on the agent's actions, so the best policy is unchanged, but the content's
   * share of the reward (how many objects a frame has, how hard they are) cancels out of the targets.
   * `undefined` restores plain rewards. Totals and {@link SimFrame.reward} stay plain.
   */
  setRewardBaseline(policy: Policy | undefined): void {
    this.#baseline = undefined;
    if (!policy) return;
    const base = new Float64Array(4 * this.#frames);
    this.runPolicy(policy, (f) => base.set([f.reward, f.recall, f.uplinkMbit, f.deviceW], 4 * f.frameIndex));
    this.#baseline = base;
  }

  /**
   * Executes action `a` (an index into {@link actions}) at the current frame; the reward is relative to
   * the baseline when one is set ({@link setRewardBaseline}). `terms` are its parts for hindsight
   * relabelling (learn/relabel.ts), in the order of the state's weights: [recall, uplinkMbit, deviceW]
   * (each minus the baseline's), so reward = terms[0] − λc · terms[1] − λe · terms[2]. The array is
   * reused by the next step.
   */
  step(a: number): { readonly reward: number; readonly terms: Float64Array; readonly done: boolean; readonly state: Float32Array; readonly mask: Uint8Array; readonly frame: SimFrame } {
    const d = this.actions[a];
    if (!d) throw new RangeError(`OffloadEnv.step: action ${a} outside 0..${this.actions.length - 1}`);
    const frame = this.stepDecision(d);
    const done = this.#index >= this.#frames;
    const obs = done ? { state: new Float32Array(this.stateSize), mask: allowNoneOnly(this.actions.length) } : this.#observe();
    const b = this.#baseline;
    const at = 4 * frame.frameIndex;
    this.#terms[0] = frame.recall - (b ? b[at + 1] : 0);
    this.#terms[1] = frame.uplinkMbit - (b ? b[at + 2] : 0);
    this.#terms[2] = frame.deviceW - (b ? b[at + 3] : 0);
    return { reward: frame.reward - (b ? b[at] : 0), terms: this.#terms, done, ...obs, frame };
  }

  /** Executes `decision` at the current frame and moves to the next frame. */
  stepDecision(decision: Decision): SimFrame {
    const session = this.#session;
    const work = this.#work;
    if (session && this.#index >= this.#frames) throw new Error('OffloadEnv: episode done; reset() first');
    if (!session || !work || !this.#offloader) throw new Error('OffloadEnv: reset() first');
    const i = this.#index;
    if (decision.kind === 'offload') {
      const answer = this.#video.offloads.byQuality[decision.quality.name]?.[i];
      if (!answer) throw new Error(`OffloadEnv: no cached offload for quality ${decision.quality.name} at frame ${i}`);
      this.#offloader.prepare(answer);
      session.sendEncoded(work, decision, { jpeg: this.#zeros.subarray(0, answer.bytes), width: answer.width, height: answer.height });
    }
    session.track(work);
    session.applyOutcomes(work, this.#offloader.collectNow(this.#clock.now()));
    const row = session.finish(work);
    const energy = session.energy.breakdown(this.#clock.now()).total;
    const tracks = outputTracks(row.tracks);
    const recall = this.#video.scorer.frameRecall(i, tracks);
    const r = frameReward(recall, row.bytes, energy - this.#energyBefore, this.#video.offloads.fps, this.spec);
    this.#energyBefore = energy;
    this.#totals.reward += r.reward;
    this.#totals.recall += recall;
    this.#totals.frames++;
    this.#index++;
    if (this.#index < this.#frames) this.#begin();
    else this.#work = undefined;
    return { frameIndex: i, decision, bytes: row.bytes, tracks, reward: r.reward, recall, uplinkMbit: r.uplinkMbit, deviceW: r.deviceW, row };
  }

  /** Runs a whole episode with `policy` (reset first); returns the totals. */
  runPolicy(policy: Policy, onFrame?: (f: SimFrame) => void): EpisodeTotals {
    policy.reset();
    this.reset(policy);
    while (this.#index < this.#frames) {
      const f = this.stepDecision(policy.decide(this.context));
      onFrame?.(f);
    }
    return this.totals();
  }

  /** Device energy as a replay run reports it: breakdown at the run's end plus idle power over its duration. */
  #runEnergyJ(s: DeviceSession): number {
    const durationMs = (this.#totals.frames * 1000) / this.#video.offloads.fps;
    return s.energy.breakdown(durationMs).total + (durationMs / 1000) * this.#device.idlePowerW;
  }

  #begin(): void {
    const fps = this.#video.offloads.fps;
    const frame: Frame = { index: this.#index, ptsMs: (this.#index * 1000) / fps, width: this.#video.offloads.width, height: this.#video.offloads.height, rgb: NO_PIXELS };
    this.#work = this.#session!.begin(frame);
    this.#context = this.#session!.contextFor(this.#work);
  }

  #observe(): Observation {
    const ctx = this.context;
    const mask = new Uint8Array(this.actions.length);
    const free = ctx.inFlight < this.#maxInFlight;
    const floor = this.#honoursFloor ? ctx.qualityFloor : 0;
    for (let k = 0; k < mask.length; k++) mask[k] = actionAllowed(this.#levels[k], free, floor) ? 1 : 0;
    return { state: this.#layout.vector(ctx, this.spec), mask };
  }
}

function allowNoneOnly(n: number): Uint8Array {
  const m = new Uint8Array(n);
  m[0] = 1;
  return m;
}

/** Observer used when the agent (not a Policy object) decides. */
const PASSIVE: Policy = Object.freeze({ name: 'agent', decide: () => NONE, reset: () => {} });
