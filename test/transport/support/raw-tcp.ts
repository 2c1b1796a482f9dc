/**
 * Hostile-client tools below the WebSocket library: a bare TCP socket that does the HTTP upgrade by
 * hand and then writes frames of any declared length (masked with a zero key, so payload bytes go
 * through unchanged), and helpers to read the server's numbers.
 */
import { connect, type Socket } from 'node:net';
import { NO_FRAME, encodeMessage } from '../../../src/transport/protocol/index.js';

/** A TCP connection to 127.0.0.1:`port` (resolves once connected). */
export function tcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/**
 * Opens a socket and completes the WebSocket upgrade; resolves with the socket and the HTTP status
 * line (101 on success). Bytes after the response headers are left in the socket's stream.
 */
export async function rawUpgrade(port: number): Promise<{ socket: Socket; status: number; response: string }> {
  const socket = await tcp(port);
  socket.on('error', () => {});
  socket.write(
    `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  const response = await new Promise<string>((resolve, reject) => {
    let got = '';
    const onData = (d: Buffer): void => {
      got += d.toString('latin1');
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.off('close', onClose);
      const rest = got.slice(end + 4);
      if (rest) socket.unshift(Buffer.from(rest, 'latin1'));
      resolve(got);
    };
    const onClose = (): void => (got ? resolve(got) : reject(new Error('closed during the upgrade')));
    socket.on('data', onData);
    socket.once('close', onClose);
  });
  return { socket, status: Number(/^HTTP\/1\.1 (\d+)/.exec(response)?.[1] ?? 0), response };
}

/** Client frame header for a binary message of `declaredLength` bytes (FIN, masked, zero key). */
export function frameHeader(declaredLength: number): Buffer {
  if (declaredLength < 126) return Buffer.from([0x82, 0x80 | declaredLength, 0, 0, 0, 0]);
  if (declaredLength < 65536) return Buffer.from([0x82, 0x80 | 126, declaredLength >> 8, declaredLength & 0xff, 0, 0, 0, 0]);
  const h = Buffer.alloc(14);
  h[0] = 0x82;
  h[1] = 0x80 | 127;
  h.writeBigUInt64BE(BigInt(declaredLength), 2);
  return h; // mask key bytes 10..13 stay zero
}

/** A whole client frame carrying `payload`. */
export function frame(payload: Uint8Array): Buffer {
  return Buffer.concat([frameHeader(payload.length), payload]);
}

/** The bytes of a `hello` message. */
export function helloBytes(token: string, name = 'hostile'): Uint8Array {
  return encodeMessage({ type: 'hello', requestId: 0, frameIndex: NO_FRAME, captureMs: 0, protocol: 1, token, name });
}

/** A 42-byte `detect` (2-byte options length, `{}`, 14 bytes that are not an image): the cheapest request. */
export function cheapDetect(requestId: number): Uint8Array {
  const image = new Uint8Array(14).fill(0x11);
  image[0] = 0xff;
  image[1] = 0xd8;
  image[2] = 0xff;
  return encodeMessage({ type: 'detect', requestId, frameIndex: requestId, captureMs: 0, options: {}, image });
}

/**
 * Resolves when `socket` closes, with the close code of a server close frame seen before (or 0),
 * when that frame arrived (`frameAt`, NaN if none) and when the TCP connection closed (`at`).
 */
export function closeOf(socket: Socket): Promise<{ code: number; frameAt: number; at: number }> {
  return new Promise((resolve) => {
    let code = 0;
    let frameAt = NaN;
    let tail = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      tail = Buffer.concat([tail, d]).subarray(-256);
      const i = tail.lastIndexOf(0x88);
      if (code === 0 && i >= 0 && i + 3 < tail.length && tail[i + 1] >= 2 && tail[i + 1] < 126) {
        code = tail.readUInt16BE(i + 2);
        frameAt = performance.now();
      }
    });
    socket.once('close', () => resolve({ code, frameAt, at: performance.now() }));
  });
}

/** GETs `path` on 127.0.0.1:`port`; resolves with status, body and the time it took. */
export async function httpGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - t0 };
}

/** One numeric sample of `/metrics` (first line starting with `name`), NaN when absent. */
export function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
}

/** The server's resident memory, bytes (`process_resident_memory_bytes` from `/metrics`). */
export async function serverRss(port: number, headers: Record<string, string> = {}): Promise<number> {
  return metricValue((await httpGet(port, '/metrics', headers)).body, 'process_resident_memory_bytes ');
}

/** A JPEG whose SOF header is patched to declare `width`×`height` (the body stays the small image). */
export function withDeclaredSize(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(jpeg);
  for (let i = 2; i + 9 < out.length; ) {
    const marker = out[i + 1];
    const len = (out[i + 2] << 8) | out[i + 3];
    if (marker >= 0xc0 && marker <= 0xc3) {
      out[i + 5] = height >> 8;
      out[i + 6] = height & 0xff;
      out[i + 7] = width >> 8;
      out[i + 8] = width & 0xff;
      return out;
    }
    i += 2 + len;
  }
  throw new Error('no SOF marker in the JPEG');
}
