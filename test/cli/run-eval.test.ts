import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../src/video/index.js';
import { SAMPLE_CLIP, childrenNamed, removeTempDirs, runCli, tempDir } from '../pipeline/helpers.js';

afterAll(() => removeTempDirs());

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('edgetrack run', () => {
  it('--max-frames 20 --policy periodic:5 --no-eval: exit 0, tracks.txt, frames.jsonl and report.json with the documented fields', async () => {
    const out = tempDir();
    const r = await runCli(['run', SAMPLE_CLIP, '--max-frames', '20', '--policy', 'periodic:5', '--out', out, '--no-eval']);
    expect(r.stderr).not.toMatch(/edgetrack: /);
    expect(r.code).toBe(0);
    for (const f of ['tracks.txt', 'frames.jsonl', 'report.json']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(existsSync(join(out, 'annotated.mp4'))).toBe(false);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, any>;
    expect(report).toMatchObject({
      frames: 20, groundTruth: 'none', interrupted: false, offloads: 4, policy: 'periodic:5,high,full', trace: 'wifi-good', clock: 'replay', edge: 'local',
    });
    for (const k of ['mar', 'ar50']) expect(report[k], k).toBeNull(); // --no-eval: no metrics (NaN is written as null)
    for (const k of ['bytesSent', 'katchupFrames', 'deviceEnergyJ', 'wallSeconds']) expect(typeof report[k], k).toBe('number');
    expect(report.bytesSent).toBeGreaterThan(10_000);
    expect(report.deviceEnergyJ).toBeGreaterThan(0);
    expect(report.detectionLatencyMs.p50).toBeGreaterThan(0);
    expect(report.detectionLatencyMs.p95).toBeGreaterThanOrEqual(report.detectionLatencyMs.p50);
    expect(readFileSync(join(out, 'frames.jsonl'), 'utf8').trim().split('\n').length).toBe(20);
    // the summary on stdout names the numbers and the files
    expect(r.stdout).toMatch(/frames\s+20/);
    expect(r.stdout).toContain(join(out, 'report.json'));
  });

  it.each([
    ['the sample clip (replay)', SAMPLE_CLIP, 300, false],
    ['lavfi:testsrc (live, --annotate)', 'lavfi:testsrc=size=320x240:rate=10', null, true],
  ])('Ctrl-C on %s: stops, writes every output for the frames processed, report.interrupted, exit 0', async (_name, input, total, annotate) => {
    const out = tempDir();
    let signalled = false;
    const r = await runCli(['run', input, '--policy', 'periodic:5', '--out', out, '--no-eval', ...(annotate ? ['--annotate'] : [])], {}, 60_000, (stderr, child) => {
      // half a second after the first frame (the first progress line); the replay run needs ~5 s in all
      if (!signalled && /run: 1\b/.test(stderr)) {
        signalled = true;
        setTimeout(() => child.kill('SIGINT'), 500);
      }
    });
    expect(signalled, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/SIGINT: stopping after the frames in flight/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, any>;
    expect(report.interrupted).toBe(true);
    expect(report.groundTruth).toBe('none');
    expect(report.frames).toBeGreaterThanOrEqual(3);
    if (total !== null) expect(report.frames).toBeLessThan(total);
    const rows = readFileSync(join(out, 'frames.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { frameIndex: number });
    expect(rows.map((x) => x.frameIndex)).toEqual(Array.from({ length: report.frames }, (_, i) => i));
    expect(existsSync(join(out, 'tracks.txt'))).toBe(true);
    expect(r.stdout).toMatch(/\(interrupted\)/);
    if (annotate) expect((await probeVideo(join(out, 'annotated.mp4'))).frameCount).toBe(report.frames); // a finished, playable file
  });

  it('the source dying mid-run (its ffmpeg killed): summary and report for the frames so far, then exit 1 naming the failure', async () => {
    const out = tempDir();
    let killed = 0;
    const r = await runCli(['run', 'lavfi:testsrc=size=320x240:rate=10', '--policy', 'periodic:5', '--out', out, '--no-eval'], {}, 60_000, (stderr, child) => {
      if (killed === 0 && /run: 1\b/.test(stderr)) {
        killed = -1;
        setTimeout(() => {
          const pids = childrenNamed(child.pid!, 'ffmpeg');
          for (const pid of pids) process.kill(pid, 'SIGKILL');
          killed = pids.length;
        }, 500);
      }
    });
    expect(killed).toBe(1);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/edgetrack: the source failed after \d+ frames \(outputs and report written for them\): .*killed by SIGKILL/);
    expect(r.stdout).toMatch(/\(the source failed\)/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, any>;
    expect(report.sourceError).toMatch(/killed by SIGKILL/);
    expect(readFileSync(join(out, 'frames.jsonl'), 'utf8').trim().split('\n')).toHaveLength(report.frames);
  });

  it('a second Ctrl-C quits at once (killed by SIGINT: the shell shows 130)', async () => {
    const out = tempDir();
    let sent = 0;
    // --annotate: closing the video writer keeps the graceful stop busy long enough for the second signal
    const r = await runCli(['run', 'lavfi:testsrc=size=320x240:rate=10', '--policy', 'periodic:5', '--out', out, '--no-eval', '--annotate'], {}, 60_000, (stderr, child) => {
      if (sent === 0 && /run: 1\b/.test(stderr)) {
        sent++;
        setTimeout(() => child.kill('SIGINT'), 500);
      } else if (sent === 1 && /stopping after the frames in flight/.test(stderr)) {
        sent++;
        child.kill('SIGINT');
      }
    });
    expect(sent).toBe(2);
    expect({ code: r.code, signal: r.signal }, r.stderr).toEqual({ code: null, signal: 'SIGINT' });
    expect(r.stderr).toMatch(/SIGINT again, quitting now/);
    expect(r.stderr).not.toMatch(/terminate called|Napi::Error/);
  });

  it.each([
    // every flag value that cannot work is a usage error (exit 2), checked before anything starts
    [['--policy', 'bogus'], /--policy "bogus": policy: unknown "bogus"/, [2]],
    [['--policy', 'periodic:0'], /periodic/, [2]],
    [['--device', 'toaster'], /--device: .*expected one of jetson-nano/, [2]],
    [['--clock', 'x'], /--clock.*x|x.*--clock|choices/i, [2]],
    [['--max-frames', '0'], /--max-frames.*expected an integer ≥ 1/, [2]],
    [['--edge', 'http://nope'], /--edge: expected "local" or a ws:\/\/host:port URL/, [2]],
  ])('bad flags %j: exit 2 and a clear message', async (flags, message, codes) => {
    const out = tempDir();
    const r = await runCli(['run', SAMPLE_CLIP, '--out', out, '--no-eval', ...flags]);
    expect(codes).toContain(r.code);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
  });

  it('a missing input exits 1 naming the file', async () => {
    const r = await runCli(['run', '/nonexistent/clip.mp4', '--out', tempDir(), '--no-eval']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/nonexistent/clip.mp4');
  });
});

describe('edgetrack eval', () => {
  it('--traces wifi-good --policies never,periodic:10,full: report.json, report.md, pareto.png; channelFraction 1 for full', async () => {
    const out = tempDir();
    const cache = tempDir('edgetrack-cache-');
    const r = await runCli(
      ['eval', SAMPLE_CLIP, '--max-frames', '20', '--traces', 'wifi-good', '--policies', 'never,periodic:10,full', '--out', out],
      { EDGETRACK_CACHE_DIR: cache },
    );
    expect(r.stderr).not.toMatch(/edgetrack: /);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { policies: string[]; results: Record<string, any>[] };
    expect(report.policies).toEqual(['never', 'periodic:10', 'full']);
    expect(report.results.map((x) => x.policy)).toEqual(['never', 'periodic:10,high,full', 'full']);
    const byPolicy = new Map(report.results.map((x) => [x.policy as string, x]));
    const full = byPolicy.get('full')!;
    expect(full.channelFraction).toBe(1);
    expect(full.bytesSent).toBeGreaterThan(byPolicy.get('periodic:10,high,full')!.bytesSent);
    for (const x of report.results) {
      expect(x.frames).toBe(20);
      expect(x.trace).toBe('wifi-good');
      expect(x.groundTruth).toBe('oracle');
      expect(x.mar).toBeGreaterThanOrEqual(0);
      expect(x.mar).toBeLessThanOrEqual(1);
      expect(x.channelFraction).toBeCloseTo(x.bytesSent / full.bytesSent, 12);
    }
    // against the oracle on 20 frames, detecting often must do at least as well as detecting once
    expect(full.mar).toBeGreaterThanOrEqual(byPolicy.get('never')!.mar);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('|');
    expect(md).toContain('periodic:10');
    const png = readFileSync(join(out, 'pareto.png'));
    expect(png.length).toBeGreaterThan(2000);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // the oracle was computed into the given cache
    expect(existsSync(join(cache, 'oracle'))).toBe(true);
    expect(r.stdout).toContain('pareto.png');
  }, 180_000);

  it('an unknown trace exits non-zero naming it', async () => {
    const r = await runCli(['eval', SAMPLE_CLIP, '--max-frames', '5', '--traces', 'no-such-trace', '--policies', 'never', '--out', tempDir()]);
    expect([1, 2]).toContain(r.code);
    expect(r.stderr).toContain('no-such-trace');
  });
});

describe('edgetrack demo', () => {
  it('--max-frames 15: exit 0, writes tracks.txt, frames.jsonl, annotated.mp4 and report.json (oracle ground truth) and says where', async () => {
    const out = tempDir();
    const r = await runCli(['demo', '--max-frames', '15', '--out', out], { EDGETRACK_CACHE_DIR: tempDir('edgetrack-cache-') });
    expect(r.stderr).not.toMatch(/edgetrack: /);
    expect(r.code).toBe(0);
    for (const f of ['tracks.txt', 'frames.jsonl', 'annotated.mp4', 'report.json']) expect(existsSync(join(out, f)), f).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, any>;
    expect(report).toMatchObject({ frames: 15, groundTruth: 'oracle', trace: 'wifi-erratic', edge: 'local' });
    expect(report.policy).toMatch(/^learned:lambdac=0.01,lambdae=0.002$/);
    expect(report.mar).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/mAR\s+\d+(\.\d)?%/);
    expect(r.stdout).toContain(join(out, 'annotated.mp4'));
  });
});
