import { basename } from 'node:path';
import { CHANNEL_PRESET_NAMES, type ChannelModel, channelFromSpec } from '../transport/index.js';

/** A channel ready for a run: the model plus a name for reports. */
export interface ResolvedChannel {
  readonly name: string;
  readonly model: ChannelModel;
}

/** Base RTT (ms) assumed for trace files, which record throughput only. */
export const DEFAULT_TRACE_RTT_MS = 40;

/**
 * Resolves `--trace`: a built-in preset (`wifi-good`, `wifi-erratic`, `lte-drive`, `3g-poor`, with
 * their own RTT and loss) or a trace file (Pensieve, mahimahi or CSV, auto-detected) with a base RTT of
 * {@link DEFAULT_TRACE_RTT_MS} unless `baseRttMs` is given. Throws naming both possibilities otherwise.
 */
export async function resolveChannel(spec: string, options: { baseRttMs?: number; offsetMs?: number } = {}): Promise<ResolvedChannel> {
  const isPreset = CHANNEL_PRESET_NAMES.includes(spec);
  const baseRttMs = options.baseRttMs ?? (isPreset ? undefined : DEFAULT_TRACE_RTT_MS);
  const model = await channelFromSpec(spec, { offsetMs: options.offsetMs ?? 0, ...(baseRttMs !== undefined ? { baseRttMs } : {}) });
  return { name: isPreset ? spec : basename(spec), model };
}
