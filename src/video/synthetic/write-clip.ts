import { join } from 'node:path';
import { AnnotatedVideoWriter } from '../sinks/annotated-video-writer.js';
import { MotWriter } from '../sinks/mot-writer.js';
import { renderScene, type Scenario, type SceneOptions } from './scene.js';

/** Options of {@link writeSyntheticClip}: the scene's options plus the encoder quality. */
export interface SyntheticClipOptions extends Partial<SceneOptions> {
  /** x264 CRF of the MP4 (lower = better). Default 18. */
  readonly crf?: number;
}

/** Files written by {@link writeSyntheticClip}. */
export interface SyntheticClip {
  readonly scenario: Scenario;
  /** `DIR/<scenario>.mp4` (H.264, yuv420p). */
  readonly video: string;
  /** `DIR/<scenario>.gt.txt`: MOT rows `frame,id,x,y,w,h,1,-1,-1,-1`, 1-based frames. */
  readonly groundTruth: string;
  readonly frames: number;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
}

/**
 * Renders `scenario` (see `renderScene`) and writes its MP4 plus MOT ground truth into `outDir`.
 * Frame n of the MP4 (0-based) is MOT frame n+1 of the ground truth.
 */
export async function writeSyntheticClip(scenario: Scenario, outDir: string, options: SyntheticClipOptions = {}): Promise<SyntheticClip> {
  const { crf = 18, ...sceneOptions } = options;
  const scene = renderScene(scenario, sceneOptions);
  const video = join(outDir, `${scenario}.mp4`);
  const groundTruth = join(outDir, `${scenario}.gt.txt`);
  const writer = new AnnotatedVideoWriter(video, { fps: scene.fps, crf });
  const gt = new MotWriter(groundTruth);
  try {
    for (const { frame, truth } of scene.frames()) {
      await writer.write(frame);
      await gt.write(frame.index, truth.map((t) => ({ id: t.id, box: t.box, score: 1 })));
    }
    await writer.close();
    await gt.close();
  } catch (err) {
    await writer.abort();
    await gt.close().catch(() => {});
    throw err;
  }
  return Object.freeze({ scenario, video, groundTruth, frames: scene.frameCount, width: scene.width, height: scene.height, fps: scene.fps });
}
