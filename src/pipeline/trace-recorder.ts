import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Records the uplink throughput a live run measured, one sample per interval, and writes it as a
 * Pensieve-format trace (`time_s Mbps` per line) that `--trace` can replay and training can use.
 */
export class TraceRecorder {
  readonly #samples: { tS: number; mbps: number }[] = [];
  readonly #startMs: number;
  readonly #intervalMs: number;
  #nextMs: number;

  constructor(startMs: number, intervalMs = 1000) {
    this.#startMs = startMs;
    this.#intervalMs = intervalMs;
    this.#nextMs = startMs;
  }

  /** Offers the current estimate at `nowMs`; kept when an interval has passed since the last sample. */
  sample(nowMs: number, uplinkMbps: number): void {
    if (nowMs < this.#nextMs || !Number.isFinite(uplinkMbps)) return;
    this.#samples.push({ tS: (nowMs - this.#startMs) / 1000, mbps: uplinkMbps });
    this.#nextMs = nowMs + this.#intervalMs;
  }

  get samples(): number {
    return this.#samples.length;
  }

  /** Writes the trace file (folders created). Throws when nothing was measured. */
  write(path: string): void {
    if (this.#samples.length === 0) throw new Error(`--record-trace ${path}: no throughput was measured (no offload was answered)`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, this.#samples.map((s) => `${s.tS.toFixed(3)} ${s.mbps.toFixed(4)}`).join('\n') + '\n');
  }
}
