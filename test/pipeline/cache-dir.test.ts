import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/pipeline/cache-dir.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A worker thread that writes `file` `times` times with its own payload (loads the TypeScript module through tsx). */
function writer(file: string, payload: string, times: number): Promise<void> {
  const moduleUrl = new URL('../../src/pipeline/cache-dir.ts', import.meta.url).href;
  const code = `
    const { workerData } = await import('node:worker_threads');
    const { register } = await import('tsx/esm/api');
    register();
    const { writeFileAtomic } = await import(workerData.moduleUrl);
    for (let i = 0; i < workerData.times; i++) writeFileAtomic(workerData.file, workerData.payload);
  `;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { moduleUrl, file, payload, times } });
    w.once('error', reject);
    w.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
  });
}

describe('writeFileAtomic', () => {
  it('writes the data and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrack-atomic-'));
    dirs.push(dir);
    const file = join(dir, 'entry.json');
    writeFileAtomic(file, '{"a":1}');
    writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['entry.json']);
  });

  it('lets worker threads of one process write the same entry at once (each rename finds its own file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrack-atomic-'));
    dirs.push(dir);
    const file = join(dir, 'entry.bin');
    const payloads = ['a', 'b', 'c', 'd'].map((c) => c.repeat(64 * 1024));
    await Promise.all(payloads.map((p) => writer(file, p, 150)));
    expect(payloads).toContain(readFileSync(file, 'utf8'));
    expect(readdirSync(dir)).toEqual(['entry.bin']);
  });

  it('removes its temporary file when the rename fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgetrack-atomic-'));
    dirs.push(dir);
    // The target is a non-empty directory: the rename fails.
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'y');
    expect(() => writeFileAtomic(target, 'data')).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});
