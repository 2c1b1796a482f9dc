import type { EdgeClient } from '../../../src/transport/client/index.js';
import { httpGet } from './raw-tcp.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Median of `xs` (NaN when empty). */
export const median = (xs: number[]): number => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);

/** A camera at `perSecond` requests/s for `count` requests; round trips of the answered ones. */
export async function camera(client: EdgeClient, jpeg: Uint8Array, perSecond: number, count: number): Promise<{ served: number; ms: number[]; failures: string[] }> {
  const ms: number[] = [];
  const failures: string[] = [];
  const t0 = performance.now();
  const all: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    all.push(client.detect(jpeg, { frameIndex: i, captureMs: i }).then(() => void ms.push(performance.now() - start), (e: { code?: string }) => void failures.push(e.code ?? String(e))));
    const wait = t0 + ((i + 1) * 1000) / perSecond - performance.now();
    if (wait > 0) await sleep(wait);
  }
  await Promise.all(all);
  return { served: ms.length, ms, failures };
}


/** {@link camera}, with the server's `/healthz` round trip (ms) measured every `probeEveryMs` meanwhile. */
export async function cameraWithHealthProbe(
  client: EdgeClient, jpeg: Uint8Array, perSecond: number, count: number, port: number, probeEveryMs: number,
): Promise<{ served: number; ms: number[]; failures: string[]; health: number[] }> {
  const health: number[] = [];
  let on = true;
  const probe = (async () => {
    while (on) {
      health.push((await httpGet(port, '/healthz')).ms);
      await sleep(probeEveryMs);
    }
  })();
  const cam = await camera(client, jpeg, perSecond, count);
  on = false;
  await probe;
  return { ...cam, health };
}
