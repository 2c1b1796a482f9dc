import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EdgeMetrics } from './metrics.js';

/** What `/healthz` reports. */
export interface HealthInfo {
  readonly shuttingDown: boolean;
  readonly models: readonly string[];
  readonly clients: number;
  readonly queueDepth: number;
  readonly uptimeS: number;
}

/** How the status routes are exposed on one listener. */
export interface StatusAccess {
  /** false: this listener serves no status routes (they are on a separate listener): 404. */
  readonly enabled: boolean;
  /** Non-empty: requests need `Authorization: Bearer <token>`, else 401. */
  readonly token: string;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * The plain-HTTP side of the edge server: `GET /healthz` (JSON; 200, or 503 while shutting down),
 * `GET /metrics` (Prometheus text 0.0.4), 404 elsewhere, 405 for methods other than GET/HEAD;
 * 401 without the bearer token when `access.token` is set.
 */
export function httpRoutes(health: () => HealthInfo, metrics: EdgeMetrics, access: StatusAccess = { enabled: true, token: '' }): (req: IncomingMessage, res: ServerResponse) => void {
  const tokenHash = access.token ? digest(access.token) : null;
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const isStatus = path === '/healthz' || path === '/metrics';
    if (isStatus && !access.enabled) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: /healthz and /metrics are served on the status listener\n');
      return;
    }
    if (isStatus && tokenHash) {
      const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      if (!m || !timingSafeEqual(digest(m[1]), tokenHash)) {
        res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('unauthorized: Authorization: Bearer <status token> required\n');
        return;
      }
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
