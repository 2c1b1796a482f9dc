import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EdgeMetrics } from './metrics.js';

/** What `/healthz` reports. */
export interface HealthInfo {
  readonly shuttingDown: boolean;
  readonly models: readonly string[];
  readonly clients: number;
  readonly queueDepth: number;
  readonly uptimeS: number;
}

/**
 * The plain-HTTP side of the edge server: `GET /healthz` (JSON; 200, or 503 while shutting down),
 * `GET /metrics` (Prometheus text 0.0.4), 404 elsewhere, 405 for methods other than GET/HEAD.
 */
export function httpRoutes(health: () => HealthInfo, metrics: EdgeMetrics): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      const h = health();
      const body = JSON.stringify({ status: h.shuttingDown ? 'shutting_down' : 'ok', models: h.models, clients: h.clients, queueDepth: h.queueDepth, uptimeS: h.uptimeS });
      res.writeHead(h.shuttingDown ? 503 : 200, { 'content-type': 'application/json' }).end(body);
    } else if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics.toPrometheus());
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: use a WebSocket, /healthz or /metrics\n');
    }
  };
}
