import type { Command } from 'commander';
import { CliUsageError, parseIntFlag } from '../cli-error.js';

interface EdgeFlags {
  port: number;
  host: string;
  model: string;
  token?: string;
  threads: number;
  maxPayload: number;
  globalQueue: number;
  perClientQueue: number;
  deadlineMs: number;
  heartbeatMs: number;
  logLevel: string;
  classes?: string;
  helloTimeoutMs: number;
  maxImagePixels: number;
  maxOutboundBytes: number;
  rateLimit: number;
  rateBurst?: number;
  rateLimitBytes: number;
  maxClients: number;
  maxClientsPerIp: number;
  handshakeTimeoutMs: number;
  statusToken?: string;
  statusPort?: number;
  statusHost?: string;
}

/**
 * `edgetrack edge --port P [--host 127.0.0.1] --model M[,M2] [--token T]`: runs the edge detection
 * server (WebSocket protocol of docs/protocol.md, plus GET /healthz and /metrics on the same port).
 * The token may come from `EDGETRACK_TOKEN`. Prints `edgetrack edge: listening on ws://…` on stdout
 * once ready; JSON-line logs go to stderr. SIGINT/SIGTERM shut down gracefully (running requests are
 * answered, queued ones rejected with `shutting_down`); a second signal exits at once.
 */
export function install(program: Command): void {
  program
    .command('edge')
    .description('run the edge detection server (WebSocket; /healthz and /metrics on the same port)')
    .option('--port <n>', 'TCP port (0 = any free port)', parseIntFlag(0, 65535), 8765)
    .option('--host <addr>', 'interface to listen on', '127.0.0.1')
    .option('--model <list>', 'comma-separated models: nanodet, centernet or .onnx paths; the first is the default; repeat a name for replicas', 'nanodet')
    .option('--classes <list>', 'COCO classes the detectors return, names or ids (e.g. person,car); default: all')
    .option('--token <secret>', 'shared secret clients must present (default: $EDGETRACK_TOKEN, preferred: a token on the command line shows in ps; none = no authentication)')
    .option('--threads <n>', 'onnxruntime intra-op threads per model', parseIntFlag(1), 2)
    .option('--max-payload <bytes>', 'largest accepted image, bytes', parseIntFlag(1), 4 * 1024 * 1024)
    .option('--global-queue <n>', 'requests waiting over all clients before busy', parseIntFlag(1), 64)
    .option('--per-client-queue <n>', 'requests one client may have outstanding before busy', parseIntFlag(1), 4)
    .option('--deadline-ms <ms>', 'a request not started after this long fails with deadline', parseIntFlag(1), 2000)
    .option('--heartbeat-ms <ms>', 'ping interval; a client missing one pong is dropped', parseIntFlag(10), 10_000)
    .option('--log-level <level>', 'debug, info, warn, error or silent', process.env.EDGETRACK_LOG_LEVEL ?? 'info')
    .option('--hello-timeout-ms <ms>', 'time a new connection has to authenticate (also cuts a frame stalled before hello)', parseIntFlag(1), 5000)
    .option('--max-image-pixels <n>', 'largest image accepted, pixels as declared by its header (default 3840x2160)', parseIntFlag(1), 3840 * 2160)
    .option('--max-outbound-bytes <bytes>', 'answers buffered for one client before it is dropped as not reading (close 4004)', parseIntFlag(1024), 1024 * 1024)
    .option('--rate-limit <n>', 'per-client messages per second (token bucket); over → rate_limited', parseIntFlag(1), 200)
    .option('--rate-burst <n>', 'per-client burst, messages (default: --rate-limit)', parseIntFlag(1))
    .option('--rate-limit-bytes <bytes>', 'per-client message bytes per second', parseIntFlag(1), 64 * 1024 * 1024)
    .option('--max-clients <n>', 'WebSocket connections at once; more → HTTP 503', parseIntFlag(1), 128)
    .option('--max-clients-per-ip <n>', 'WebSocket connections at once from one address; more → HTTP 503', parseIntFlag(1), 32)
    .option('--handshake-timeout-ms <ms>', 'a TCP connection must send its first HTTP request/upgrade within this', parseIntFlag(1), 5000)
    .option('--status-token <secret>', '/healthz and /metrics require "Authorization: Bearer <secret>" (default: $EDGETRACK_STATUS_TOKEN; none = open)')
    .option('--status-port <n>', 'serve /healthz and /metrics on this port instead of the WebSocket port (0 = any free port)', parseIntFlag(0))
    .option('--status-host <addr>', 'interface of the separate status listener (default: --host)')
    .action(async (flags: EdgeFlags) => {
      const { startEdgeServer, createLogger, isLogLevel, LOG_LEVELS } = await import('../../transport/server/index.js');
      if (!isLogLevel(flags.logLevel)) throw new CliUsageError(`--log-level: expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(flags.logLevel)}`);
      const models = flags.model.split(',').map((m) => m.trim()).filter((m) => m !== '');
      if (models.length === 0) throw new CliUsageError('--model: expected at least one model name');
      const { parseClassList } = await import('../../core/index.js');
      let classes: number[] | undefined;
      try {
        classes = flags.classes !== undefined ? parseClassList(flags.classes, '--classes') : undefined;
      } catch (e) {
        throw new CliUsageError((e as Error).message);
      }
      const { checkLocalModel } = await import('../check-inputs.js');
      for (const m of models) await checkLocalModel(m);
      // before the models load (seconds): a taken port fails at once, with one message
      await checkPortFree(flags.host, flags.port);
      const token = flags.token ?? process.env.EDGETRACK_TOKEN ?? '';
      const statusToken = flags.statusToken ?? process.env.EDGETRACK_STATUS_TOKEN ?? '';
      if (flags.maxClientsPerIp > flags.maxClients) {
        throw new CliUsageError(`--max-clients-per-ip: expected ≤ --max-clients (${flags.maxClients}), got ${flags.maxClientsPerIp}`);
      }
      if (flags.statusHost !== undefined && flags.statusPort === undefined) throw new CliUsageError('--status-host: needs --status-port');
      const logger = createLogger({ level: flags.logLevel, base: { component: 'edge' } });
      const server = await startEdgeServer({
        host: flags.host, port: flags.port, detectors: models, detectorOptions: { threads: flags.threads, ...(classes ? { classes } : {}) },
        token, maxPayload: flags.maxPayload, globalQueue: flags.globalQueue, perClientQueue: flags.perClientQueue,
        deadlineMs: flags.deadlineMs, heartbeatMs: flags.heartbeatMs, logger,
        helloTimeoutMs: flags.helloTimeoutMs, maxImagePixels: flags.maxImagePixels, maxOutboundBytes: flags.maxOutboundBytes,
        requestsPerSecond: flags.rateLimit, requestBurst: flags.rateBurst ?? flags.rateLimit, bytesPerSecond: flags.rateLimitBytes,
        maxClients: flags.maxClients, maxClientsPerIp: flags.maxClientsPerIp, handshakeTimeoutMs: flags.handshakeTimeoutMs,
        statusToken, ...(flags.statusPort !== undefined ? { statusPort: flags.statusPort, statusHost: flags.statusHost ?? flags.host } : {}),
      });
      process.stdout.write(`edgetrack edge: listening on ${server.url} (models ${server.models.join(', ')}; auth ${token ? 'on' : 'off'}; http://${flags.statusHost ?? flags.host}:${server.statusPort}/metrics${statusToken ? ' with token' : ''})\n`);
      const { stopOnSignals } = await import('../stop-on-signals.js');
      const stop = stopOnSignals('edgetrack edge', {
        stopping: 'shutting down: answering the requests in service, refusing the queued ones',
        log: (message) => logger.info(message),
      });
      await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
      await server.close().catch((e: Error) => logger.error('shutdown failed', { error: e.message }));
      stop.dispose();
      process.stdout.write('edgetrack edge: stopped\n');
    });
}

/** Fails with a clear message when `host:port` cannot be listened on (in use, not an address of this host). */
async function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const { createServer } = await import('node:net');
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'is already in use (another edge running?)' : e.code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : `cannot be listened on (${e.code ?? e.message})`;
      reject(new Error(`${host}:${port} ${why}; pick another --port or --host (--port 0 = any free port)`));
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
