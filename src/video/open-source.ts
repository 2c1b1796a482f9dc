import { existsSync, statSync } from 'node:fs';
import { defer, Observable, switchMap, tap } from 'rxjs';
import { ValidationError, type Frame } from '../core/index.js';
import { fileSource, fileSourceInfo, type FileSourceOptions } from './file-source.js';
import { imageSequenceInfo, imageSequenceSource, type ImageSequenceOptions } from './image-sequence-source.js';
import { isLiveSpec, parseLiveSpec } from './live-spec.js';
import { liveSource, type LiveSourceOptions } from './live-source.js';

/** What kind of input a spec names. */
export type SourceKind = 'file' | 'images' | 'live';

/** Options accepted by {@link openSource}; each kind uses the fields that apply to it. */
export interface OpenSourceOptions
  extends Omit<FileSourceOptions, 'info' | 'onSpawn'>, Pick<ImageSequenceOptions, 'fps'>, Omit<LiveSourceOptions, 'onSpawn'> {
  /** Play a file as a live source, looped forever and paced in real time (same as `loop:<file>`). */
  readonly loop?: boolean;
  /** Called with the pid of each ffmpeg child started (file and live sources). */
  readonly onSpawn?: (pid: number) => void;
}

/** Common metadata of any source. */
export interface SourceInfo {
  readonly spec: string;
  readonly kind: SourceKind;
  /** Output frame size (after resize). */
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Frames the source will emit; null for live sources. */
  readonly frameCount: number | null;
}

/** Counters of the current (or last) subscription. Offline sources never drop. */
export interface SourceStats {
  readonly received: number;
  readonly delivered: number;
  readonly dropped: number;
}

/** Any frame source: file, image sequence or live. */
export interface VideoSource {
  readonly spec: string;
  readonly kind: SourceKind;
  /** True for live sources (real-time pacing, latest-frame-wins drops, wall-clock ptsMs). */
  readonly live: boolean;
  /** Cold Observable of frames; each subscription opens the input anew. */
  readonly frames$: Observable<Frame>;
  readonly stats: SourceStats;
  info(): Promise<SourceInfo>;
}

/** Decides the kind of a spec without opening it: live prefixes, an existing folder, else a file. */
export function sourceKind(spec: string, options: { loop?: boolean } = {}): SourceKind {
  if (isLiveSpec(spec) || options.loop) return 'live';
  if (existsSync(spec) && statSync(spec).isDirectory()) return 'images';
  return 'file';
}

function offline(spec: string, kind: SourceKind, frames: Observable<Frame>, info: () => Promise<SourceInfo>): VideoSource {
  const stats = { received: 0, delivered: 0, dropped: 0 };
  const frames$ = new Observable<Frame>((subscriber) => {
    stats.received = 0;
    stats.delivered = 0;
    return frames.pipe(tap(() => { stats.received++; stats.delivered++; })).subscribe(subscriber);
  });
  return { spec, kind, live: false, frames$, stats, info };
}

/**
 * Opens any source by spec:
 * - `lavfi:<graph>`, `loop:<file>`, `/dev/videoN`, `rtsp://…`, `http(s)://…` → {@link liveSource};
 * - a folder of numbered images (or a MOTChallenge sequence folder with `img1/`) → {@link imageSequenceSource};
 * - any other path → {@link fileSource} (with `options.loop`: a looped, real-time live source).
 */
export function openSource(spec: string, options: OpenSourceOptions = {}): VideoSource {
  const kind = sourceKind(spec, options);
  if (kind === 'live') {
    for (const field of ['startFrame', 'endFrame', 'everyNth', 'fps'] as const) {
      if (options[field] !== undefined) {
        throw new ValidationError(`openSource(${spec}).${field}: not supported by live sources (got ${options[field]})`, { field, spec });
      }
    }
    const live = liveSource(options.loop && !isLiveSpec(spec) ? `loop:${spec}` : spec, options);
    const parsed = parseLiveSpec(live.spec);
    return {
      spec, kind, live: true, frames$: live.frames$, stats: live.stats,
      info: async () => {
        const i = await live.info();
        return Object.freeze({ spec, kind, width: i.width, height: i.height, fps: i.fps, frameCount: null, liveKind: parsed.kind });
      },
    };
  }
  if (kind === 'images') {
    return offline(spec, kind, imageSequenceSource(spec, options), async () => {
      const i = await imageSequenceInfo(spec, options);
      return Object.freeze({ spec, kind, width: i.width, height: i.height, fps: i.fps, frameCount: i.frameCount });
    });
  }
  // Probe once per VideoSource: info() and every subscription share the result.
  let probed: ReturnType<typeof fileSourceInfo> | undefined;
  const resolve = (): ReturnType<typeof fileSourceInfo> => (probed ??= fileSourceInfo(spec, options));
  const frames = defer(() => resolve()).pipe(switchMap((i) => fileSource(spec, { ...options, info: i.video })));
  return offline(spec, kind, frames, async () => {
    const i = await resolve();
    return Object.freeze({ spec, kind, width: i.width, height: i.height, fps: i.fps, frameCount: i.frameCount });
  });
}
