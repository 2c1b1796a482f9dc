import { ValidationError, requireFinite, requireInteger } from '../core/index.js';
import { type DeviceProfile, encodeCostMs } from './device-profiles.js';

/** Energy by component, in joules. `total` is the sum of the others. */
export interface EnergyBreakdown {
  /** Optical-flow tracking, (compute − idle) × tracking time. */
  readonly tracking: number;
  /** Katch-Up re-tracking, (compute − idle) × re-tracking time. */
  readonly katchup: number;
  /** JPEG resize + encode, (compute − idle) × encode time. */
  readonly encode: number;
  /** Uplink: bytes × J/B + active power × transfer time. */
  readonly radioTx: number;
  /** Downlink: bytes × J/B + active power × transfer time. */
  readonly radioRx: number;
  /** Radio tail after transfers (LTE); 0 for WiFi. */
  readonly radioTail: number;
  /** Idle power × elapsed run time. */
  readonly idle: number;
  readonly total: number;
}

/** Names of the components of {@link EnergyBreakdown} (without `total`). */
export const ENERGY_COMPONENTS = Object.freeze(['tracking', 'katchup', 'encode', 'radioTx', 'radioRx', 'radioTail', 'idle'] as const);

function nonNegative(value: number, field: string): number {
  requireFinite(value, field);
  if (value < 0) throw new ValidationError(`${field}: expected a number ≥ 0, got ${value}`, { field, value });
  return value;
}

/**
 * Accumulates device energy from events, using a {@link DeviceProfile}. The model (docs/device-profiles.md):
 * idle power for the whole run (`addIdle`), plus (computePowerW − idlePowerW) for the time each CPU
 * operation takes, plus radio energy per byte and per active second, plus the radio tail.
 *
 * Radio events may carry `atMs`, the start time on the run's clock (virtual or wall). The tail after a
 * transfer lasts until the next transfer starts or `tailMs` passes, whichever is first. Without `atMs`
 * the gap is unknown and the full tail is charged (an upper bound). Overlapping transfers are charged
 * their active power each (an overestimate).
 */
export class EnergyMeter {
  readonly profile: DeviceProfile;
  #tracking = 0;
  #katchup = 0;
  #encode = 0;
  #tx = 0;
  #rx = 0;
  #tail = 0;
  #idle = 0;
  /** A transfer's tail is still open. */
  #tailOpen = false;
  /** End time of the last transfer when known. */
  #lastEndMs: number | null = null;

  constructor(profile: DeviceProfile) {
    this.profile = profile;
  }

  get #busyW(): number {
    return Math.max(0, this.profile.computePowerW - this.profile.idlePowerW);
  }

  /** Charges `ms` of tracking work. */
  addTracking(ms: number): void {
    this.#tracking += (nonNegative(ms, 'tracking ms') / 1000) * this.#busyW;
  }

  /** Charges `ms` of Katch-Up re-tracking. */
  addKatchup(ms: number): void {
    this.#katchup += (nonNegative(ms, 'katchup ms') / 1000) * this.#busyW;
  }

  /** Charges the encode of an image of `megapixels` (encoded size) at the profile's ms/MP; returns the device ms charged. */
  addEncode(megapixels: number): number {
    const ms = encodeCostMs(this.profile, nonNegative(megapixels, 'encode megapixels'));
    this.#encode += (ms / 1000) * this.#busyW;
    return ms;
  }

  /** Charges an uplink transfer of `bytes` that kept the radio active for `activeMs`, starting at `atMs` (optional). */
  addTx(bytes: number, activeMs: number, atMs?: number): void {
    this.#tx += this.#transfer(bytes, activeMs, atMs, this.profile.radio.txJoulePerByte, 'tx');
  }

  /** Charges a downlink transfer (e.g. the detections reply). */
  addRx(bytes: number, activeMs: number, atMs?: number): void {
    this.#rx += this.#transfer(bytes, activeMs, atMs, this.profile.radio.rxJoulePerByte, 'rx');
  }

  /** Charges `ms` of elapsed run time at idle power (call once with the run duration, or per frame). */
  addIdle(ms: number): void {
    this.#idle += (nonNegative(ms, 'idle ms') / 1000) * this.profile.idlePowerW;
  }

  #transfer(bytes: number, activeMs: number, atMs: number | undefined, joulePerByte: number, what: string): number {
    requireInteger(bytes, `${what} bytes`, 0);
    nonNegative(activeMs, `${what} activeMs`);
    if (atMs !== undefined) requireFinite(atMs, `${what} atMs`);
    this.#tail += this.#tailUntil(atMs);
    this.#tailOpen = true;
    this.#lastEndMs = atMs === undefined ? null : atMs + activeMs;
    return bytes * joulePerByte + (activeMs / 1000) * this.profile.radio.activePowerW;
  }

  /** Energy of the open tail if the next radio event (or the end) is at `atMs`. */
  #tailUntil(atMs: number | undefined): number {
    const { tailPowerW, tailMs } = this.profile.radio;
    if (!this.#tailOpen || tailPowerW <= 0 || tailMs <= 0) return 0;
    const ms = atMs === undefined || this.#lastEndMs === null ? tailMs : Math.min(Math.max(atMs - this.#lastEndMs, 0), tailMs);
    return (ms / 1000) * tailPowerW;
  }

  /**
   * Energy so far, by component (J). The open tail of the last transfer is included up to `endMs` (the
   * end of the run on the same clock as `atMs`), or in full when `endMs` is omitted. Does not change the meter.
   */
  breakdown(endMs?: number): EnergyBreakdown {
    if (endMs !== undefined) requireFinite(endMs, 'endMs');
    const radioTail = this.#tail + this.#tailUntil(endMs);
    const parts = {
      tracking: this.#tracking,
      katchup: this.#katchup,
      encode: this.#encode,
      radioTx: this.#tx,
      radioRx: this.#rx,
      radioTail,
      idle: this.#idle,
    };
    const total = Object.values(parts).reduce((a, b) => a + b, 0);
    return Object.freeze({ ...parts, total });
  }

  /** Zeroes every component. */
  reset(): void {
    this.#tracking = this.#katchup = this.#encode = this.#tx = this.#rx = this.#tail = this.#idle = 0;
    this.#tailOpen = false;
    this.#lastEndMs = null;
  }
}
