import { existsSync, readFileSync } from 'node:fs';
import type { TrackerOptions } from '../tracker/index.js';

/**
 * The value of `--tracker`: tracker options (docs/tracker.md, "Options") as JSON text (starting with
 * `{`) or the path of a JSON file holding them. Every field is checked against the tracker's
 * options; the error names the file or the text, the field and what was expected.
 */
export async function parseTrackerFlag(value: string): Promise<Partial<TrackerOptions>> {
  const inline = /^\s*[[{]/.test(value);
  if (!inline && !existsSync(value)) throw new Error(`expected JSON options such as '{"classFusion":true}' or a JSON file, got ${JSON.stringify(value)}: no such file`);
  const where = inline ? 'the JSON text' : value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(inline ? value : readFileSync(value, 'utf8'));
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${where}: expected a JSON object of tracker options, got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`);
  }
  const { resolveTrackerOptions } = await import('../tracker/index.js');
  try {
    resolveTrackerOptions(parsed as Partial<TrackerOptions>);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  return parsed as Partial<TrackerOptions>;
}
