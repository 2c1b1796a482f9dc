import { randomBytes } from 'node:crypto';
import { type EdgeServer, type Logger, startEdgeServer, silentLogger } from '../transport/index.js';

/** An edge server started in this process on loopback, with a random token. */
export interface LocalEdge {
  readonly server: EdgeServer;
  readonly url: string;
  readonly token: string;
}

/**
 * Starts an in-process edge server on 127.0.0.1, port 0, serving `model` (a built-in name or an .onnx
 * path) with a fresh random token; `classes` restricts its detector to those COCO classes. Close it
 * with `server.close()`.
 */
export async function startLocalEdge(model: string, options: { threads?: number; logger?: Logger; classes?: readonly number[] } = {}): Promise<LocalEdge> {
  const token = randomBytes(16).toString('hex');
  const server = await startEdgeServer({
    host: '127.0.0.1',
    port: 0,
    detectors: [model],
    detectorOptions: { threads: options.threads ?? 2, ...(options.classes ? { classes: options.classes } : {}) },
    token,
    // replay runs may have several requests in flight in virtual time
    perClientQueue: 16,
    deadlineMs: 60_000,
    logger: options.logger ?? silentLogger,
  });
  return { server, url: server.url, token };
}
