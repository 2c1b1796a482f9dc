/** A bare WebSocket peer for server tests: sends raw bytes, collects decoded messages and the close. */
import { WebSocket } from 'ws';
import { NO_FRAME, decodeMessage, encodeMessage, type Message } from '../../../src/transport/protocol/index.js';

export interface RawPeer {
  readonly ws: WebSocket;
  readonly messages: Message[];
  readonly closed: Promise<{ code: number; reason: string }>;
  send(bytes: Uint8Array | string): void;
  /** Resolves when `pred` holds for the collected messages (polls), or rejects after `ms`. */
  waitFor(pred: (msgs: Message[]) => boolean, ms?: number): Promise<void>;
  hello(token?: string, name?: string): Promise<void>;
}

export async function rawPeer(url: string, wsOptions: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<RawPeer> {
  const ws = new WebSocket(url, wsOptions);
  const messages: Message[] = [];
  ws.on('message', (data) => messages.push(decodeMessage(data as Buffer)));
  ws.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waitFor = (pred: (m: Message[]) => boolean, ms = 10_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const start = Date.now();
      const tick = (): void => {
        if (pred(messages)) return resolve();
        if (Date.now() - start > ms) return reject(new Error(`waitFor timed out after ${ms} ms; got ${messages.length} messages: ${messages.slice(-3).map((m) => m.type).join(',')}`));
        setTimeout(tick, 5);
      };
      tick();
    });
  return {
    ws,
    messages,
    closed,
    send: (b) => ws.send(b),
    waitFor,
    async hello(token = '', name = 'raw') {
      ws.send(encodeMessage({ type: 'hello', requestId: 0, frameIndex: NO_FRAME, captureMs: 0, protocol: 1, token, name }));
      await waitFor((m) => m.some((x) => x.type === 'welcome'));
    },
  };
}

export function detectBytes(requestId: number, image: Uint8Array, frameIndex = requestId, options = {}): Uint8Array {
  return encodeMessage({ type: 'detect', requestId, frameIndex, captureMs: frameIndex * 40, options, image });
}
