import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from './logger.js';

/** Limits {@link guardConnections} enforces. */
export interface ConnectionLimits {
  /** WebSocket connections at once. */
  readonly maxClients: number;
  /** WebSocket connections at once per remote address. */
  readonly maxClientsPerIp: number;
  /** TCP connections at once (the HTTP server's `maxConnections`). */
  readonly maxConnections: number;
  /** Time a TCP connection has to complete its first HTTP request or upgrade, ms. */
  readonly handshakeTimeoutMs: number;
}

/** What the guard reports about a refused upgrade. */
export type UpgradeRefusal = 'too_many_clients' | 'too_many_clients_from_address' | 'shutting_down';

/**
 * Puts the edge server's own limits in front of `ws`: a TCP connection cap, a timeout for the first
 * request/upgrade of every connection (silent or slow-header sockets are destroyed, instead of
 * holding a descriptor for Node's 60 s+ defaults), and caps on WebSocket connections overall and
 * per remote address — an upgrade over a cap is answered `HTTP 503` with `Retry-After: 1` and a
 * text body naming the limit, before any WebSocket state exists. Accepted upgrades are handed to
 * `onConnection`. Returns the number of open WebSocket connections (for metrics).
 */
export function guardConnections(
  http: Server,
  wss: WebSocketServer,
  limits: ConnectionLimits,
  log: Logger,
  isClosing: () => boolean,
  onRefused: (why: UpgradeRefusal) => void,
  onConnection: (ws: WebSocket, req: IncomingMessage) => void,
): { openClients(): number } {
  http.maxConnections = limits.maxConnections;
  http.headersTimeout = limits.handshakeTimeoutMs;
  http.requestTimeout = Math.max(limits.handshakeTimeoutMs, 10_000);
  const pending = new WeakSet<Duplex>();
  http.on('connection', (socket: Duplex) => {
    pending.add(socket);
    const timer = setTimeout(() => {
      if (!pending.has(socket)) return;
      log.debug('handshake timeout, closing socket', { timeoutMs: limits.handshakeTimeoutMs });
      socket.destroy();
    }, limits.handshakeTimeoutMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
  http.on('request', (req: IncomingMessage) => pending.delete(req.socket));

  let open = 0;
  const perIp = new Map<string, number>();
  const refuse = (socket: Duplex, why: UpgradeRefusal, text: string): void => {
    onRefused(why);
    log.debug('upgrade refused', { why, text });
    const body = `${text}\n`;
    socket.end(
      `HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  };
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    pending.delete(socket);
    const ip = req.socket.remoteAddress ?? '?';
    if (isClosing()) return refuse(socket, 'shutting_down', 'server shutting down');
    if (open >= limits.maxClients) return refuse(socket, 'too_many_clients', `too many clients: ${open} connected, limit ${limits.maxClients}`);
    const fromIp = perIp.get(ip) ?? 0;
    if (fromIp >= limits.maxClientsPerIp) {
      return refuse(socket, 'too_many_clients_from_address', `too many clients from ${ip}: ${fromIp} connected, limit ${limits.maxClientsPerIp}`);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      open++;
      perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
      ws.once('close', () => {
        open--;
        const n = (perIp.get(ip) ?? 1) - 1;
        if (n <= 0) perIp.delete(ip);
        else perIp.set(ip, n);
      });
      onConnection(ws, req);
    });
  });
  return { openClients: () => open };
}
