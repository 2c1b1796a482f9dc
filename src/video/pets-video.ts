import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';

const run = promisify(execFile);

/** Where Debian's `opencv-doc` installs OpenCV's sample `vtest.avi` (PETS 2009 S2L1, 795 frames, 768x576, 10 fps). */
export const DEBIAN_VTEST_PATH = '/usr/share/doc/opencv-doc/examples/data/vtest.avi';
/** SHA-256 of vtest.avi as shipped by Debian bookworm's opencv-doc 4.6.0+dfsg-12. */
export const VTEST_SHA256 = '45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf';

/** The cache file `findPetsVideo` fills: `$XDG_CACHE_HOME/edgetrack/vtest.avi` or `~/.cache/edgetrack/vtest.avi`. */
export function petsVideoCachePath(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'edgetrack', 'vtest.avi');
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile() && statSync(p).size > 0;
  } catch {
    return false;
  }
};

/** Places the full vtest.avi (from an extracted opencv-doc tree) at `dest`; false when absent. */
function installFrom(root: string, dest: string): boolean {
  const data = join(root, 'usr/share/doc/opencv-doc/examples/data');
  mkdirSync(join(dest, '..'), { recursive: true });
  const tmp = `${dest}.part-${process.pid}`;
  if (isFile(join(data, 'vtest.avi'))) copyFileSync(join(data, 'vtest.avi'), tmp);
  else if (isFile(join(data, 'vtest.avi.gz'))) writeFileSync(tmp, gunzipSync(readFileSync(join(data, 'vtest.avi.gz'))));
  else return false;
  renameSync(tmp, dest);
  return true;
}

/**
 * Finds the full PETS09-S2L1 video (OpenCV's `vtest.avi`, 795 frames) for slow suites, in order:
 * `$EDGETRACK_PETS_VIDEO`, {@link DEBIAN_VTEST_PATH} (or its `.gz`, unpacked into the cache), the
 * cache file {@link petsVideoCachePath}. When none exists and `download` is true (default), runs
 * `apt-get download opencv-doc` and `dpkg -x` in a temporary folder (Debian archive; no root needed)
 * and copies vtest.avi into the cache. Resolves to undefined (never throws) when it cannot.
 */
export async function findPetsVideo(options: { download?: boolean } = {}): Promise<string | undefined> {
  const env = process.env.EDGETRACK_PETS_VIDEO;
  if (env && isFile(env)) return env;
  if (isFile(DEBIAN_VTEST_PATH)) return DEBIAN_VTEST_PATH;
  const cache = petsVideoCachePath();
  if (isFile(cache)) return cache;
  try {
    if (isFile(`${DEBIAN_VTEST_PATH}.gz`) && installFrom('/', cache)) return cache;
  } catch {
    /* fall through to the download */
  }
  if (options.download === false) return undefined;
  const work = mkdtempSync(join(tmpdir(), 'edgetrack-opencv-doc-'));
  try {
    await run('apt-get', ['download', 'opencv-doc'], { cwd: work, timeout: 10 * 60_000 });
    const deb = readdirSync(work).find((f) => f.startsWith('opencv-doc') && f.endsWith('.deb'));
    if (!deb) return undefined;
    await run('dpkg', ['-x', deb, 'root'], { cwd: work, timeout: 5 * 60_000 });
    return installFrom(join(work, 'root'), cache) && existsSync(cache) ? cache : undefined;
  } catch {
    return undefined;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
