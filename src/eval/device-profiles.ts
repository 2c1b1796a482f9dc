import { ValidationError, requireFinite, requireInteger } from '../core/index.js';

/**
 * Radio energy model of one link type, after the linear power model of Huang et al. (MobiSys 2012):
 * P = αu·tu + αd·td + β while transferring, plus a tail at `tailPowerW` for up to `tailMs` after the
 * last transfer. αu, αd (mW per Mbit/s) are stored as joules per byte: α mW/Mbps × 8e-9 = J/B.
 */
export interface RadioProfile {
  readonly name: string;
  /** Energy per uplink byte (J/B), from αu. */
  readonly txJoulePerByte: number;
  /** Energy per downlink byte (J/B), from αd. */
  readonly rxJoulePerByte: number;
  /** Base power while a transfer is active (W), β. */
  readonly activePowerW: number;
  /** Power in the tail state after a transfer (W); 0 = no tail. */
  readonly tailPowerW: number;
  /** Tail duration (ms). */
  readonly tailMs: number;
  readonly source: string;
}

/** Per-operation costs and powers of one device class. All times in ms, powers in W. */
export interface DeviceProfile {
  readonly name: string;
  readonly description: string;
  /** Frame size (megapixels) at which the per-frame costs below hold; costs scale linearly with frame megapixels. 640×480 = 0.3072. */
  readonly referenceMegapixels: number;
  /** Optical-flow tracking: fixed cost per frame (grayscale, pyramid) at the reference size. */
  readonly trackingMsPerFrame: number;
  /** Optical-flow tracking: extra cost per tracked object per frame. */
  readonly trackingMsPerTrack: number;
  /** Katch-Up: fixed cost per re-tracked buffered frame at the reference size (pyramids are cached, so below trackingMsPerFrame). */
  readonly katchupMsPerFrame: number;
  /** Katch-Up: cost per track per re-tracked frame. */
  readonly katchupMsPerTrack: number;
  /** JPEG encode (resize + encode) per megapixel of the encoded image. */
  readonly encodeMsPerMegapixel: number;
  /** Whole-device power when idle (W). Charged for the whole run duration. */
  readonly idlePowerW: number;
  /** Whole-device power while the CPU works (W). Operations are charged (compute − idle) × their duration. */
  readonly computePowerW: number;
  /** Default radio of this device (override with `name+radio`). */
  readonly radio: RadioProfile;
  /** Where the numbers come from (see docs/device-profiles.md). */
  readonly sources: readonly string[];
}

/** mW per Mbit/s → J per byte. */
const perByte = (mwPerMbps: number): number => mwPerMbps * 8e-9;

/** Built-in radio profiles (approximations; docs/device-profiles.md). */
export const RADIO_PROFILES: Readonly<Record<string, RadioProfile>> = Object.freeze({
  wifi: Object.freeze({
    name: 'wifi',
    txJoulePerByte: perByte(283.17),
    rxJoulePerByte: perByte(137.01),
    activePowerW: 0.13286,
    tailPowerW: 0,
    tailMs: 0,
    source: 'Huang et al., MobiSys 2012, WiFi power model: αu 283.17 mW/Mbps, αd 137.01 mW/Mbps, β 132.86 mW; WiFi tail neglected',
  }),
  lte: Object.freeze({
    name: 'lte',
    txJoulePerByte: perByte(438.39),
    rxJoulePerByte: perByte(51.97),
    activePowerW: 1.28804,
    tailPowerW: 1.06,
    tailMs: 11_576,
    source: 'Huang et al., MobiSys 2012, LTE power model: αu 438.39 mW/Mbps, αd 51.97 mW/Mbps, β 1288.04 mW; tail 1060 mW for 11.576 s (promotion ignored)',
  }),
});

const VGA_MP = (640 * 480) / 1e6;

/** Built-in device profiles, by name. */
export const DEVICE_PROFILES: Readonly<Record<string, DeviceProfile>> = Object.freeze({
  'jetson-nano': Object.freeze({
    name: 'jetson-nano',
    description: 'NVIDIA Jetson Nano 4GB, 10 W (MAXN) mode, CPU-only tracking, WiFi dongle',
    referenceMegapixels: VGA_MP,
    trackingMsPerFrame: 21,
    trackingMsPerTrack: 1.4,
    katchupMsPerFrame: 10.5,
    katchupMsPerTrack: 1.4,
    encodeMsPerMegapixel: 75,
    idlePowerW: 1.5,
    computePowerW: 5.5,
    radio: RADIO_PROFILES.wifi,
    sources: [
      'NVIDIA L4T Developer Guide, "Power Management for Jetson Nano": 5 W and 10 W (MAXN) nvpmodel budgets',
      'Idle ≈1.5 W and CPU-busy ≈5.5 W: approximations from commonly reported headless tegrastats/USB-meter readings (idle ≈1.2–2 W; CPU load well under the 10 W budget); see also Holly et al., IGSC 2020, for measured Nano power under DNN load',
      'CPU costs: host measurements scaled by ≈3.5× (Cortex-A57 1.43 GHz vs x86 server core); approximation',
    ],
  }),
  'raspberry-pi-4': Object.freeze({
    name: 'raspberry-pi-4',
    description: 'Raspberry Pi 4 Model B, stock clocks, on-board WiFi',
    referenceMegapixels: VGA_MP,
    trackingMsPerFrame: 18,
    trackingMsPerTrack: 1.2,
    katchupMsPerFrame: 9,
    katchupMsPerTrack: 1.2,
    encodeMsPerMegapixel: 60,
    idlePowerW: 2.7,
    computePowerW: 6.4,
    radio: RADIO_PROFILES.wifi,
    sources: [
      'raspi.tv, "How much power does Pi4B use?" (2019): idle ≈540 mA ≈2.7 W, stress --cpu 4 ≈1280 mA ≈6.4 W at 5.1 V',
      'Tom\'s Hardware Raspberry Pi 4 review: similar idle/load figures',
      'CPU costs: host measurements scaled by ≈3× (Cortex-A72 1.5 GHz vs x86 server core); approximation',
    ],
  }),
  host: Object.freeze({
    name: 'host',
    description: 'A laptop/desktop x86-64 running edgetrack itself (one core busy)',
    referenceMegapixels: VGA_MP,
    trackingMsPerFrame: 6,
    trackingMsPerTrack: 0.4,
    katchupMsPerFrame: 3,
    katchupMsPerTrack: 0.4,
    encodeMsPerMegapixel: 20,
    idlePowerW: 8,
    computePowerW: 25,
    radio: RADIO_PROFILES.wifi,
    sources: [
      'JPEG: measured with sharp 0.35 (libvips, concurrency 1) on an AMD EPYC core, 768×576 textured frame: ≈19 ms/MP at q50, ≈27 ms/MP at q85',
      'Tracking: estimate for OpenCV.js (WASM) pyramidal Lucas-Kanade at 640×480; replace with the tracker bench',
      'Power: typical laptop idle ≈8 W, one busy core ≈25 W package+platform; rough approximation',
    ],
  }),
});

/** Names of the built-in device profiles. */
export function listDeviceProfiles(): string[] {
  return Object.keys(DEVICE_PROFILES);
}

/**
 * Looks a device profile up by spec `name` or `name+radio` (e.g. `raspberry-pi-4+lte`). Throws a
 * ValidationError listing the valid names.
 */
export function getDeviceProfile(spec: string): DeviceProfile {
  const [name, radioName, ...rest] = String(spec).trim().toLowerCase().split('+');
  const profile = DEVICE_PROFILES[name];
  if (!profile || rest.length > 0) {
    throw new ValidationError(
      `device: expected one of ${listDeviceProfiles().join(', ')} (optionally +${Object.keys(RADIO_PROFILES).join('|+')}), got ${JSON.stringify(spec)}`,
      { spec },
    );
  }
  if (radioName === undefined) return profile;
  const radio = RADIO_PROFILES[radioName];
  if (!radio) {
    throw new ValidationError(`device radio: expected one of ${Object.keys(RADIO_PROFILES).join(', ')}, got ${JSON.stringify(radioName)}`, { spec });
  }
  return Object.freeze({ ...profile, name: `${profile.name}+${radio.name}`, radio });
}

function scale(profile: DeviceProfile, megapixels: number | undefined): number {
  if (megapixels === undefined) return 1;
  requireFinite(megapixels, 'megapixels');
  if (megapixels < 0) throw new ValidationError(`megapixels: expected ≥ 0, got ${megapixels}`);
  return megapixels / profile.referenceMegapixels;
}

/** Device time (ms) to track one frame with `trackCount` tracks; `megapixels` = frame size (default: reference size). */
export function trackingCostMs(profile: DeviceProfile, trackCount: number, megapixels?: number): number {
  requireInteger(trackCount, 'trackCount', 0);
  return profile.trackingMsPerFrame * scale(profile, megapixels) + profile.trackingMsPerTrack * trackCount;
}

/** Device time (ms) for Katch-Up re-tracking `frames` buffered frames with `trackCount` tracks. */
export function katchupCostMs(profile: DeviceProfile, frames: number, trackCount: number, megapixels?: number): number {
  requireInteger(frames, 'frames', 0);
  requireInteger(trackCount, 'trackCount', 0);
  return frames * (profile.katchupMsPerFrame * scale(profile, megapixels) + profile.katchupMsPerTrack * trackCount);
}

/** Device time (ms) to resize and JPEG-encode an image of `megapixels` (the encoded size). */
export function encodeCostMs(profile: DeviceProfile, megapixels: number): number {
  requireFinite(megapixels, 'megapixels');
  if (megapixels < 0) throw new ValidationError(`megapixels: expected ≥ 0, got ${megapixels}`);
  return profile.encodeMsPerMegapixel * megapixels;
}
