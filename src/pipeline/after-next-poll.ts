/**
 * Resolves once the event loop has gone through its I/O poll phase at least once after this call.
 *
 * `await` alone never gets there (microtasks run before any I/O), and one `setImmediate` is not
 * enough either when the caller runs inside an I/O callback: an immediate queued during the poll
 * phase runs in that same iteration's check phase, before the loop polls again. Two nested
 * immediates span a full iteration — timers, poll (with a zero timeout, since an immediate is
 * pending), check — so every socket that became readable before the call has been read.
 *
 * The device pipeline calls it after handing a request to the edge client: with an in-process edge
 * server (`--edge local`, the demo, the benches) the server only reads the request when the loop
 * polls, and in an offline run the next frame is usually already decoded, so without this the
 * server would receive the request only after the device had tracked the next frame.
 */
export function afterNextPoll(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
