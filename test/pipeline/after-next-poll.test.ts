import { stat } from 'node:fs';
import { type AddressInfo, type Socket, connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { afterNextPoll } from '../../src/pipeline/after-next-poll.js';

/** A loopback TCP pair; `received` counts the bytes the server side has read so far. */
async function loopbackPair(): Promise<{ client: Socket; received: () => number; close: () => Promise<void> }> {
  let bytes = 0;
  let serverSide: Socket | undefined;
  const server = createServer((s) => {
    serverSide = s;
    s.on('data', (d) => (bytes += d.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  while (!serverSide) await new Promise((r) => setImmediate(r));
  return {
    client,
    received: () => bytes,
    close: async () => {
      client.destroy();
      serverSide?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs `fn` inside an I/O callback (the poll phase), where the pipeline sends its requests from. */
const inPollPhase = <T>(fn: () => Promise<T>): Promise<T> =>
  new Promise((resolve, reject) => stat(fileURLToPath(import.meta.url), () => fn().then(resolve, reject)));

describe('afterNextPoll', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('resolves only after the loop has read a loopback write made from an I/O callback', async () => {
    const pair = await loopbackPair();
    close = pair.close;
    const seen = await inPollPhase(async () => {
      pair.client.write(Buffer.alloc(60_000, 1));
      await afterNextPoll();
      return pair.received();
    });
    expect(seen).toBeGreaterThan(0); // (loopback usually delivers all 60 kB at once; a partial write is fine)
  });

  it('control: a single setImmediate from the same place resolves before the server has read anything', async () => {
    // why afterNextPoll nests two: an immediate queued in the poll phase runs before the next poll
    const pair = await loopbackPair();
    close = pair.close;
    const seen = await inPollPhase(async () => {
      pair.client.write(Buffer.alloc(60_000, 1));
      await new Promise((r) => setImmediate(r));
      return pair.received();
    });
    expect(seen).toBe(0);
  });
});
