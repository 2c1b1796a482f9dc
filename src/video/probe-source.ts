import { imageSequenceInfo } from './image-sequence-source.js';
import { liveSource } from './live-source.js';
import { sourceKind, type SourceKind } from './open-source.js';
import { probeVideo } from './probe.js';

/** Metadata printed by `edgetrack probe`: kind, size, rate, frame count, plus kind-specific fields. */
export type ProbeReport = { kind: SourceKind; width: number; height: number; fps: number; frameCount: number | null } & Record<string, unknown>;

/**
 * Probes any source spec without decoding it: a video file (ffprobe), a folder of numbered images
 * (first image + file count) or a live spec (ffprobe on the stream/device/graph).
 */
export async function probeSource(spec: string): Promise<ProbeReport> {
  const kind = sourceKind(spec);
  if (kind === 'file') {
    const v = await probeVideo(spec);
    return { kind, ...v };
  }
  if (kind === 'images') {
    const i = await imageSequenceInfo(spec);
    return { kind, path: spec, dir: i.dir, width: i.width, height: i.height, fps: i.fps, fpsFrom: i.fpsFrom, frameCount: i.files.length, durationMs: (i.files.length * 1000) / i.fps };
  }
  const i = await liveSource(spec).info();
  return { kind, spec, liveKind: i.kind, width: i.width, height: i.height, fps: i.fps, frameCount: null };
}
