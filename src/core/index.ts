/** Core types and helpers shared by every part of edgetrack. */
export * from './errors.js';
export * from './box.js';
export * from './iou.js';
export * from './coco.js';
export * from './detection.js';
export * from './track.js';
export * from './frame.js';
export * from './clock.js';
export * from './mot.js';
export * from './detector-port.js';
export * from './decision.js';
export * from './prng.js';
