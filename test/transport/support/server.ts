import type { ObjectDetector } from '../../../src/core/index.js';
import { silentLogger, startEdgeServer, type EdgeServer, type EdgeServerOptions } from '../../../src/transport/server/index.js';

/** Runs `fn` against a fresh edge server (silent, on loopback port 0) serving `detector`; closes it after. */
export async function withEdgeServer<T>(detector: ObjectDetector, opts: Partial<EdgeServerOptions>, fn: (s: EdgeServer) => Promise<T>): Promise<T> {
  const server = await startEdgeServer({ detectors: [detector], logger: silentLogger, ...opts });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}
