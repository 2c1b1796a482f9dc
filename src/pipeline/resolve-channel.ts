import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { ValidationError } from '../core/index.js';
import { CHANNEL_PRESET_NAMES, ChannelModel, channelPreset, readTrace } from '../transport/index.js';

/** A channel ready for a run: the model plus a name for reports. */
export interface ResolvedChannel {
  readonly name: string;
  readonly model: ChannelModel;
}

/** Base RTT (ms) assumed for trace files, which record throughput only. */
export const DEFAULT_TRACE_RTT_MS = 40;

/**
 * Resolves `--trace`: a built-in preset name (`wifi-good`, `wifi-erratic`, `lte-drive`, `3g-poor`) or a
 * trace file (Pensieve `time_s Mbps`, mahimahi, or CSV; format auto-detected). Throws naming both
 * possibilities when it is neither.
 */
export async function resolveChannel(spec: string, options: { baseRttMs?: number; offsetMs?: number } = {}): Promise<ResolvedChannel> {
  if (CHANNEL_PRESET_NAMES.includes(spec)) {
    const preset = channelPreset(spec);
    return { name: spec, model: new ChannelModel({ ...preset.options, ...(options.baseRttMs !== undefined ? { baseRttMs: options.baseRttMs } : {}), offsetMs: options.offsetMs ?? 0 }) };
  }
  if (!existsSync(spec)) {
    throw new ValidationError(`--trace: ${JSON.stringify(spec)} is neither a preset (${CHANNEL_PRESET_NAMES.join(', ')}) nor an existing trace file`, { spec });
  }
  const trace = await readTrace(spec);
  return {
    name: basename(spec),
    model: new ChannelModel({ trace, baseRttMs: options.baseRttMs ?? DEFAULT_TRACE_RTT_MS, offsetMs: options.offsetMs ?? 0 }),
  };
}
