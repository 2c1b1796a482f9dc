import { existsSync, readFileSync } from 'node:fs';
import type { TrackerOptions } from '../tracker/index.js';

/**
 * The value of `--tracker`: tracker options (docs/tracker.md, "Options") as JSON text (starting with
 * `{`, or `[` to be refused as not an object) or the path of a JSON file holding them. Every field is checked against the tracker's
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

/**
 * A note when a learned policy runs with other tracker options than it was trained with (its file's
 * `metadata.tracker`; none = the defaults), else undefined. `policySpec` is a `--policy` value that
 * has already been checked; fixed policies never get a note.
 */
export async function trackerMismatchNote(policySpec: string, runTracker: Partial<TrackerOptions> | undefined): Promise<string | undefined> {
  const { MlpPolicy, createPolicy, trainedTrackerOptions } = await import('../controller/index.js');
  const policy = createPolicy(policySpec);
  if (!(policy instanceof MlpPolicy)) return undefined;
  const { resolveTrackerOptions } = await import('../tracker/index.js');
  const trained = resolveTrackerOptions(trainedTrackerOptions(policy.metadata));
  const used = resolveTrackerOptions(runTracker);
  const differing = (Object.keys(trained) as (keyof TrackerOptions)[]).filter((k) => trained[k] !== used[k]);
  if (differing.length === 0) return undefined;
  const show = (o: TrackerOptions) => JSON.stringify(Object.fromEntries(differing.map((k) => [k, o[k]])));
  return `policy ${policySpec} was trained with tracker options ${show(trained)}, this run uses ${show(used)}: its decisions assume the tracker it was trained with`;
}
