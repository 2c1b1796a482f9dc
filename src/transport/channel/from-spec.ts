import { existsSync } from 'node:fs';
import { ValidationError } from '../../core/index.js';
import { ChannelModel, type ChannelModelOptions } from './channel-model.js';
import { CHANNEL_PRESET_NAMES, channelPreset } from './presets.js';
import { readTrace, type TraceFormat } from './readers.js';

/**
 * A channel from a CLI-style spec: a preset name (`wifi-good`, `lte-drive`, …) or the path of a
 * trace file (format auto-detected unless `format` is given). `overrides` (e.g. `{ baseRttMs,
 * offsetMs, loss }`) replace the preset's values; a trace file gets baseRttMs 0 and no loss unless
 * overridden. Throws ValidationError listing the presets when the spec is neither.
 */
export async function channelFromSpec(
  spec: string,
  overrides: Partial<Omit<ChannelModelOptions, 'trace'>> = {},
  format: TraceFormat = 'auto',
): Promise<ChannelModel> {
  if ((CHANNEL_PRESET_NAMES as readonly string[]).includes(spec)) {
    return new ChannelModel({ ...channelPreset(spec).options, ...overrides });
  }
  if (!existsSync(spec)) {
    throw new ValidationError(`channel: expected a preset (${CHANNEL_PRESET_NAMES.join(', ')}) or a trace file, got ${JSON.stringify(spec)} (no such file)`, { spec });
  }
  return new ChannelModel({ trace: await readTrace(spec, { format }), ...overrides });
}
