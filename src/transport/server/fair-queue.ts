/** Why {@link FairQueue.push} refused an item. */
export type PushRefusal = 'client_full' | 'global_full';

/**
 * Bounded per-client FIFO queues served round-robin across clients. Each client's items leave in
 * the order they arrived; across clients, {@link FairQueue.take} resumes after the client served
 * last, so a client with many queued requests cannot starve others.
 *
 * Bounds: at most `perClient` items per client counting its items in service (see
 * {@link FairQueue.setInService}), and at most `global` items waiting over all clients.
 */
export class FairQueue<T> {
  readonly #perClient: number;
  readonly #global: number;
  readonly #queues = new Map<string, T[]>();
  readonly #inService = new Map<string, number>();
  /** Round-robin order of client ids; `#cursor` indexes the next one to try. */
  #order: string[] = [];
  #cursor = 0;
  #size = 0;

  constructor(perClient: number, global: number) {
    this.#perClient = perClient;
    this.#global = global;
  }

  /** Items waiting over all clients. */
  get size(): number {
    return this.#size;
  }

  /** Items waiting for one client. */
  sizeOf(client: string): number {
    return this.#queues.get(client)?.length ?? 0;
  }

  /** Adds an item at the back of `client`'s queue, or says why not (the queue is unchanged then). */
  push(client: string, item: T): PushRefusal | null {
    const q = this.#queues.get(client) ?? [];
    if (q.length + (this.#inService.get(client) ?? 0) >= this.#perClient) return 'client_full';
    if (this.#size >= this.#global) return 'global_full';
    if (!this.#queues.has(client)) {
      this.#queues.set(client, q);
      this.#order.push(client);
    }
    q.push(item);
    this.#size++;
    return null;
  }

  /** Counts `delta` (+1/−1) items of `client` that are running (they count against its bound). */
  setInService(client: string, delta: number): void {
    const n = (this.#inService.get(client) ?? 0) + delta;
    if (n <= 0) this.#inService.delete(client);
    else this.#inService.set(client, n);
  }

  /**
   * Removes and returns the head item of the next client (round-robin) for which `eligible(client,
   * head)` holds, or `undefined`. Only heads are considered, so per-client order is kept.
   */
  take(eligible: (client: string, head: T) => boolean): { client: string; item: T } | undefined {
    const n = this.#order.length;
    for (let k = 0; k < n; k++) {
      const i = (this.#cursor + k) % n;
      const client = this.#order[i];
      const q = this.#queues.get(client)!;
      if (q.length > 0 && eligible(client, q[0])) {
        this.#cursor = (i + 1) % n;
        const item = q.shift()!;
        this.#size--;
        return { client, item };
      }
    }
    return undefined;
  }

  /** Removes every item for which `drop` holds (any position) and returns them in queue order. */
  removeWhere(drop: (client: string, item: T) => boolean): { client: string; item: T }[] {
    const out: { client: string; item: T }[] = [];
    for (const [client, q] of this.#queues) {
      const keep: T[] = [];
      for (const item of q) (drop(client, item) ? out.push({ client, item }) : keep.push(item));
      this.#size -= q.length - keep.length;
      this.#queues.set(client, keep);
    }
    return out;
  }

  /** Removes a client and returns its waiting items. */
  removeClient(client: string): T[] {
    const q = this.#queues.get(client) ?? [];
    this.#queues.delete(client);
    this.#inService.delete(client);
    const i = this.#order.indexOf(client);
    if (i >= 0) {
      this.#order.splice(i, 1);
      if (this.#cursor > i) this.#cursor--;
      if (this.#cursor >= this.#order.length) this.#cursor = 0;
    }
    this.#size -= q.length;
    return q;
  }
}
