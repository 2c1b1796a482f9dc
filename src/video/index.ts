/** Video input/output: ffmpeg-backed frame sources (file, live, image sequence) and sinks. */
export * from './errors.js';
export * from './ffmpeg-path.js';
export * from './ff-process.js';
export * from './probe.js';
export * from './frame-size.js';
export { FrameAssembler } from './frame-assembler.mjs';
export * from './file-source.js';
export * from './live-spec.js';
export * from './live-source.js';
export * from './image-sequence-source.js';
export * from './open-source.js';
export * from './pets-video.js';
export * from './sinks/draw.js';
export * from './sinks/line-writer.js';
export * from './sinks/mot-writer.js';
export * from './sinks/jsonl-writer.js';
export * from './sinks/annotated-video-writer.js';
export * from './probe-source.js';
