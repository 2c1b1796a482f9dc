/** The edgetrack wire protocol: message types, byte layout, encode/decode, error and close codes. */
export * from './codes.js';
export * from './messages.js';
export * from './encode.js';
export * from './decode.js';
