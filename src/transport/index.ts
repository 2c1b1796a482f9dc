/**
 * Transport: the wire protocol, the edge server, the device client, network traces and the
 * channel model. See docs/protocol.md and docs/transport.md.
 */
export * from './protocol/index.js';
export * from './server/index.js';
export * from './client/index.js';
export * from './channel/index.js';
