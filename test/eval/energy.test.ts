import { describe, expect, it } from 'vitest';
import {
  DEVICE_PROFILES, EnergyMeter, RADIO_PROFILES, encodeCostMs, getDeviceProfile, katchupCostMs, listDeviceProfiles, trackingCostMs,
} from '../../src/eval/index.js';

describe('device profiles', () => {
  it('lists and looks up the built-in profiles', () => {
    expect(listDeviceProfiles()).toEqual(['jetson-nano', 'raspberry-pi-4', 'host']);
    expect(getDeviceProfile('raspberry-pi-4')).toBe(DEVICE_PROFILES['raspberry-pi-4']);
    expect(getDeviceProfile(' Jetson-Nano ').name).toBe('jetson-nano');
  });

  it('name+radio swaps the radio', () => {
    const p = getDeviceProfile('raspberry-pi-4+lte');
    expect(p.name).toBe('raspberry-pi-4+lte');
    expect(p.radio).toBe(RADIO_PROFILES.lte);
    expect(p.idlePowerW).toBe(2.7);
  });

  it('unknown names give an error listing the valid ones', () => {
    expect(() => getDeviceProfile('pi5')).toThrow(/device: expected one of jetson-nano, raspberry-pi-4, host \(optionally \+wifi\|\+lte\), got "pi5"/);
    expect(() => getDeviceProfile('host+5g')).toThrow(/device radio: expected one of wifi, lte, got "5g"/);
  });

  it('every profile has sources and positive costs; compute ≥ idle', () => {
    for (const p of Object.values(DEVICE_PROFILES)) {
      expect(p.sources.length).toBeGreaterThan(0);
      expect(p.computePowerW).toBeGreaterThanOrEqual(p.idlePowerW);
      for (const k of ['trackingMsPerFrame', 'trackingMsPerTrack', 'katchupMsPerFrame', 'katchupMsPerTrack', 'encodeMsPerMegapixel'] as const) {
        expect(p[k]).toBeGreaterThan(0);
      }
    }
  });

  it('radio J/B from the Huang et al. model: α mW/Mbps × 8e-9', () => {
    // 283.17 mW per Mbit/s = 0.28317 J per Mbit = 0.28317 / 125000 J/B = 2.26536e-6
    expect(RADIO_PROFILES.wifi.txJoulePerByte).toBeCloseTo(2.26536e-6, 15);
    expect(RADIO_PROFILES.lte.rxJoulePerByte).toBeCloseTo(51.97 * 8e-9, 15);
  });

  it('cost helpers (raspberry-pi-4: 18 ms/frame + 1.2 ms/track; Katch-Up 9 + 1.2; encode 60 ms/MP)', () => {
    const pi = DEVICE_PROFILES['raspberry-pi-4'];
    expect(trackingCostMs(pi, 5)).toBeCloseTo(24, 12); // 18 + 5·1.2
    expect(trackingCostMs(pi, 5, 0.6144)).toBeCloseTo(42, 12); // 2× reference size: 36 + 6
    expect(katchupCostMs(pi, 10, 3)).toBeCloseTo(126, 12); // 10·(9 + 3·1.2)
    expect(encodeCostMs(pi, 0.5)).toBeCloseTo(30, 12);
    expect(() => trackingCostMs(pi, -1)).toThrow(/trackCount: expected an integer ≥ 0, got -1/);
  });
});

describe('EnergyMeter', () => {
  it('hand-worked breakdown on raspberry-pi-4 (WiFi)', () => {
    // busy power = 6.4 − 2.7 = 3.7 W
    const m = new EnergyMeter(getDeviceProfile('raspberry-pi-4'));
    m.addTracking(100); // 0.1 s × 3.7 = 0.37 J
    m.addKatchup(50); // 0.05 × 3.7 = 0.185 J
    expect(m.addEncode(0.5)).toBeCloseTo(30, 12); // 30 ms → 0.03 × 3.7 = 0.111 J
    m.addTx(100_000, 200); // 1e5 × 2.26536e-6 = 0.226536 + 0.2 s × 0.13286 W = 0.026572 → 0.253108 J
    m.addRx(1000, 10); // 1000 × 1.09608e-6 = 0.00109608 + 0.01 × 0.13286 = 0.0013286 → 0.00242468 J
    m.addIdle(10_000); // 10 s × 2.7 W = 27 J
    const b = m.breakdown();
    expect(b.tracking).toBeCloseTo(0.37, 12);
    expect(b.katchup).toBeCloseTo(0.185, 12);
    expect(b.encode).toBeCloseTo(0.111, 12);
    expect(b.radioTx).toBeCloseTo(0.253108, 12);
    expect(b.radioRx).toBeCloseTo(0.00242468, 12);
    expect(b.radioTail).toBe(0);
    expect(b.idle).toBeCloseTo(27, 12);
    expect(b.total).toBeCloseTo(0.37 + 0.185 + 0.111 + 0.253108 + 0.00242468 + 27, 12);
    m.reset();
    expect(m.breakdown().total).toBe(0);
  });

  it('LTE tail: cut by the next transfer or the run end, full when times are unknown', () => {
    const m = new EnergyMeter(getDeviceProfile('raspberry-pi-4+lte'));
    m.addTx(0, 1000, 0); // active 1 s × 1.28804 W
    m.addTx(0, 1000, 3000); // gap 1000→3000 ms: tail 2 s × 1.06 W = 2.12 J
    expect(m.breakdown(5000).radioTail).toBeCloseTo(2.12 + 1.06, 12); // last end 4000 → 1 s more
    expect(m.breakdown(100_000).radioTail).toBeCloseTo(2.12 + 11.576 * 1.06, 12); // capped at 11.576 s
    expect(m.breakdown(100_000).radioTx).toBeCloseTo(2 * 1.28804, 12);
    const u = new EnergyMeter(getDeviceProfile('raspberry-pi-4+lte'));
    u.addTx(0, 1000);
    u.addRx(0, 1000);
    expect(u.breakdown().radioTail).toBeCloseTo(2 * 11.576 * 1.06, 12); // upper bound: two full tails
  });

  it('rejects negative or non-finite inputs', () => {
    const m = new EnergyMeter(getDeviceProfile('host'));
    expect(() => m.addTracking(-1)).toThrow(/tracking ms: expected a number ≥ 0, got -1/);
    expect(() => m.addTx(1.5, 1)).toThrow(/tx bytes: expected an integer ≥ 0, got 1.5/);
    expect(() => m.addIdle(Number.NaN)).toThrow(/idle ms: expected a finite number, got NaN/);
  });
});
