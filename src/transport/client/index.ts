/** Device-side edge client: connection management, requests, channel estimates. */
export * from './edge-client.js';
export * from './errors.js';
export * from './estimator.js';
export * from './backoff.js';
export * from './options.js';
export * from './edge-pool.js';
export * from './edge-config.js';
