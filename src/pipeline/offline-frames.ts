import type { Frame } from '../core/index.js';
import { fileFrames, imageSequenceFrames, sourceKind } from '../video/index.js';

/** Pull-based frames of an offline source (video file or image folder); `maxFrames` caps the count. */
export function offlineFrames(spec: string, maxFrames?: number): () => AsyncIterable<Frame> {
  const kind = sourceKind(spec);
  if (kind === 'live') throw new TypeError(`offlineFrames: ${spec} is a live source`);
  const range = maxFrames !== undefined ? { endFrame: maxFrames } : {};
  return () => (kind === 'images' ? imageSequenceFrames(spec, range) : fileFrames(spec, range));
}
