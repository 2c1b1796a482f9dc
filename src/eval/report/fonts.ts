import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Font directories searched, in order (Linux, macOS, Windows). */
export const FONT_DIRS: readonly string[] = Object.freeze([
  '/usr/share/fonts',
  '/usr/local/share/fonts',
  join(homedir(), '.fonts'),
  join(homedir(), '.local/share/fonts'),
  '/System/Library/Fonts',
  '/Library/Fonts',
  'C:\\Windows\\Fonts',
]);

/** Preferred sans-serif families and the file names that provide them. */
const PREFERRED: readonly [family: string, file: RegExp][] = [
  ['DejaVu Sans', /^DejaVuSans\.ttf$/i],
  ['Liberation Sans', /^LiberationSans-Regular\.ttf$/i],
  ['Noto Sans', /^NotoSans-Regular\.ttf$/i],
  ['Arial', /^arial\.ttf$/i],
  ['Helvetica', /^Helvetica\.ttc$/i],
  ['FreeSans', /^FreeSans\.ttf$/i],
];

/** A sans-serif font found on this machine, for rendering chart text with resvg. */
export interface FoundFont {
  readonly family: string;
  readonly file: string;
}

function walk(dir: string, depth: number, visit: (file: string, name: string) => boolean): boolean {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return false;
  }
  for (const name of entries) {
    const p = join(dir, name);
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      continue;
    }
    if (isDir) {
      if (depth > 0 && walk(p, depth - 1, visit)) return true;
    } else if (visit(p, name)) return true;
  }
  return false;
}

/**
 * Finds one preferred sans-serif font file in the usual font directories (`extraDirs` first), or
 * null when the machine has none (then PNG text cannot render; the SVG still shows text in a browser).
 */
export function findSansFont(extraDirs: readonly string[] = []): FoundFont | null {
  for (const [family, re] of PREFERRED) {
    for (const dir of [...extraDirs, ...FONT_DIRS]) {
      if (!existsSync(dir)) continue;
      let found: string | null = null;
      walk(dir, 4, (file, name) => {
        if (re.test(name)) found = file;
        return found !== null;
      });
      if (found) return { family, file: found };
    }
  }
  return null;
}
