import { type Decision } from '../../src/core/index.js';
import { type ContextFeatures, type Policy, makeContextFeatures } from '../../src/controller/index.js';

/**
 * Drives a policy over `frames` frames with a toy channel: a request sent at frame f is in flight on
 * frames f..f+latency−1 and its detections are applied at frame f+latency. Returns the frames that
 * offloaded and the decisions. `extra(frame)` overrides context fields.
 */
export function simulate(
  policy: Policy,
  frames: number,
  latency: number,
  extra: (frame: number) => Partial<ContextFeatures> = () => ({}),
): { sent: number[]; decisions: Decision[] } {
  const sent: number[] = [];
  const decisions: Decision[] = [];
  let applied = -1; // frame whose detections were last applied
  for (let f = 0; f < frames; f++) {
    for (const s of sent) if (s + latency === f) applied = Math.max(applied, s);
    const inFlight = sent.filter((s) => f >= s && f < s + latency).length;
    const last = sent.length ? sent[sent.length - 1] : -1;
    const ctx = makeContextFeatures({
      frameIndex: f,
      inFlight,
      detectionAgeFrames: f - applied,
      framesSinceLastOffload: f - last,
      trackCount: 3,
      meanConfidence: 0.9,
      minConfidence: 0.8,
      ...extra(f),
    });
    const d = policy.decide(ctx);
    decisions.push(d);
    if (d.kind === 'offload') sent.push(f);
  }
  return { sent, decisions };
}
