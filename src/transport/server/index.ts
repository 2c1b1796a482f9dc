/** Edge server: WebSocket detection service with auth, fair bounded queues, health and metrics. */
export * from './edge-server.js';
export * from './options.js';
export * from './metrics.js';
export * from './logger.js';
export * from './fair-queue.js';
