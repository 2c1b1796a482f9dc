import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../pipeline/helpers.js';

/**
 * What keeps `npm install` quiet and a fresh clone clean (checked once by hand on a real clone, see
 * README "Set-up"): no project .npmrc key npm does not know, every dependency install script
 * reviewed in `allowScripts`, and a lock file that is what npm writes.
 */
describe('npm configuration of the project', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; allowScripts: Record<string, boolean> };
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };

  it('has no .npmrc (its onnxruntime-node-install key made every npm command warn)', () => {
    expect(existsSync(join(ROOT, '.npmrc'))).toBe(false);
  });

  it('reviews every dependency install script in allowScripts; onnxruntime-node\'s (a CUDA download) is denied', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    for (const name of withScripts) expect(pkg.allowScripts, name).toHaveProperty([name]);
    expect(pkg.allowScripts['onnxruntime-node']).toBe(false);
  });

  it('the lock file marks the project\'s own install script as npm writes it (else npm install rewrites it)', () => {
    expect(pkg.scripts.postinstall).toBeDefined();
    expect(lock.packages[''].hasInstallScript).toBe(true);
  });
});
