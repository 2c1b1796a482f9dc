/**
 * The controller's reward (docs/controller.md, "Reward"). Per frame t:
 *
 *   r_t = recall_t − λc · uplinkMbit_t − λe · deviceW_t
 *
 * - `recall_t`: the frame's share of the episode's mAR. With G_c the ground-truth boxes of class c over
 *   the episode and m_{t,c,θ} the boxes of class c matched at frame t at IoU θ (COCO matching of the
 *   frame's output tracks, pycocotools semantics, θ ∈ 0.50:0.05:0.95):
 *   recall_t = (1/|C|) Σ_c (1/|Θ|) Σ_θ m_{t,c,θ} / G_c · F, F = frames in the episode.
 *   So the mean of recall_t over the episode is exactly the episode's mAR.
 * - `uplinkMbit_t`: bytes sent at frame t as an uplink rate, bytes · 8 · fps / 10⁶ (Mbit/s). Its mean
 *   over the episode is the mean uplink bitrate.
 * - `deviceW_t`: device energy the policy causes at frame t (tracking, Katch-Up, encode, radio; idle
 *   excluded: every policy pays it) as power, joules · fps (W). Its mean is the policy's mean power.
 *
 * So the mean reward of an episode = mAR − λc · (mean uplink Mbit/s) − λe · (mean device W).
 */
import type { Track } from '../../core/index.js';
import { type GroundTruth, COCO_IOU_THRESHOLDS, matchFrame } from '../../eval/index.js';

/** The trade-off weights: mAR given up per Mbit/s of uplink (λc) and per watt of device power (λe). */
export interface RewardWeights {
  readonly lambdaChannel: number;
  readonly lambdaEnergy: number;
}

/**
 * Defaults: 1 Mbit/s of mean uplink is worth 0.01 mAR, 1 W of mean device power 0.002 mAR — recall
 * first, and among policies of about the same recall the one that uses less channel and energy.
 */
export const DEFAULT_REWARD_WEIGHTS: RewardWeights = Object.freeze({ lambdaChannel: 0.01, lambdaEnergy: 0.002 });

/** One frame's reward and its parts. */
export interface FrameReward {
  readonly reward: number;
  readonly recall: number;
  readonly uplinkMbit: number;
  readonly deviceW: number;
}

const MAX_DETS = 100;

/**
 * The recall term of every frame of an episode, from its ground truth: precomputes the per-class
 * totals so each frame is scored on its own. Classes: those with ground truth in the episode.
 */
export class RecallScorer {
  readonly #gt: GroundTruth;
  readonly #classes: readonly number[];
  /** weight[c] = F / (|C| · |Θ| · G_c). */
  readonly #weight: Map<number, number>;

  /** `frames`: the episode's frames 0..frames−1. `classes`: restrict to these (default: all with ground truth). */
  constructor(gt: GroundTruth, frames: number, classes?: readonly number[]) {
    this.#gt = gt;
    const totals = new Map<number, number>();
    for (let f = 0; f < frames; f++) {
      for (const g of gt.get(f) ?? []) {
        if (classes && !classes.includes(g.classId)) continue;
        totals.set(g.classId, (totals.get(g.classId) ?? 0) + 1);
      }
    }
    this.#classes = [...totals.keys()].sort((a, b) => a - b);
    const C = this.#classes.length;
    this.#weight = new Map(this.#classes.map((c) => [c, frames / (C * COCO_IOU_THRESHOLDS.length * totals.get(c)!)]));
  }

  /** Classes scored (with ground truth in the episode). */
  get classes(): readonly number[] {
    return this.#classes;
  }

  /** recall_t of the output tracks (state `tracked`, score = the track's score) at frame `frame`. */
  frameRecall(frame: number, tracks: readonly Track[]): number {
    const gts = this.#gt.get(frame);
    if (!gts || gts.length === 0 || tracks.length === 0) return 0;
    let sum = 0;
    for (const c of this.#classes) {
      const g = gts.filter((b) => b.classId === c);
      if (g.length === 0) continue;
      const p = tracks.filter((t) => t.state === 'tracked' && t.classId === c);
      if (p.length === 0) continue;
      const m = matchFrame(g, p, COCO_IOU_THRESHOLDS, MAX_DETS);
      let matched = 0;
      for (const k of m.matchedGt) matched += k;
      sum += matched * this.#weight.get(c)!;
    }
    return sum;
  }
}

/** Combines a frame's recall term with its costs (see the module doc for units). */
export function frameReward(recall: number, bytes: number, deviceJoules: number, fps: number, w: RewardWeights): FrameReward {
  const uplinkMbit = (bytes * 8 * fps) / 1e6;
  const deviceW = deviceJoules * fps;
  return { reward: recall - w.lambdaChannel * uplinkMbit - w.lambdaEnergy * deviceW, recall, uplinkMbit, deviceW };
}
