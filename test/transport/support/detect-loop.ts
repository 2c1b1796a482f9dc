import type { EdgeClient, EdgeRequestError } from '../../../src/transport/client/index.js';

/** A client sending `jpeg` back to back until stopped, recording `ok` or the error code of each request. */
export interface DetectLoop {
  /** One entry per finished request, in order: `ok` or an EdgeRequestError code. */
  readonly outcomes: string[];
  /** Answered requests so far. */
  okCount(): number;
  /** Stops after the request in flight and waits for it. */
  stop(): Promise<void>;
}

/** Starts a detect loop on `client`; after a failure it pauses `pauseMs` before the next request. */
export function startDetectLoop(client: EdgeClient, jpeg: Uint8Array, pauseMs: number): DetectLoop {
  const outcomes: string[] = [];
  let stopped = false;
  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      try {
        await client.detect(jpeg, { frameIndex: i, captureMs: i });
        outcomes.push('ok');
      } catch (err) {
        outcomes.push((err as EdgeRequestError).code);
        await new Promise((r) => setTimeout(r, pauseMs));
      }
    }
  })();
  return {
    outcomes,
    okCount: () => outcomes.filter((o) => o === 'ok').length,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
