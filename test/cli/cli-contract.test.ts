import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildProgram, main } from '../../src/cli/main.js';
import { ROOT, SAMPLE_CLIP, killAll, removeTempDirs, runCli, spawnEdge, tempDir } from '../pipeline/helpers.js';

afterAll(() => removeTempDirs());

/**
 * The command line's promises (README "CLI"): usage errors exit 2 before any work, runtime failures
 * exit 1, configuration the edge refuses stops a run at start with a hint, a run in which no offload
 * was answered does not end 0, and what is written for people (progress, help) is what happens.
 */

const children: ChildProcess[] = [];

/** Runs the CLI's `main` in this process; what it writes to stderr is captured (kept out of the test output). */
async function mainInProcess(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string) => ((stderr += String(chunk)), true)) as typeof process.stderr.write);
  try {
    return { code: await main(['node', 'edgetrack', ...args]), stderr };
  } finally {
    spy.mockRestore();
  }
}
afterEach(() => killAll(children));

describe('usage errors exit 2 before the first frame, naming the flag, the value or file, and the problem', () => {
  it.each([
    ['run: an unknown trace (before the edge starts)', ['run', SAMPLE_CLIP, '--trace', 'wifi-bad'], /--trace wifi-bad: .*wifi-good/],
    ['run: an unknown model', ['run', SAMPLE_CLIP, '--model', 'nope'], /--model: expected nanodet, centernet or a path to an \.onnx file, got "nope"/],
    ['run: a missing .onnx file', ['run', SAMPLE_CLIP, '--model', '/no/such/model.onnx'], /--model \/no\/such\/model\.onnx: no such file/],
    ['run: --gt that does not exist', ['run', SAMPLE_CLIP, '--gt', '/missing/gt.txt'], /--gt \/missing\/gt\.txt: no such file/],
    ['run: an unknown policy', ['run', SAMPLE_CLIP, '--policy', 'bogus'], /--policy "bogus"/],
    ['run: an unknown tracker option', ['run', SAMPLE_CLIP, '--tracker', '{"clasFusion":true}'], /--tracker: the JSON text: tracker\.clasFusion: expected one of .*classFusion/],
    ['run: a tracker option out of range', ['run', SAMPLE_CLIP, '--tracker', '{"classFusionIou":3}'], /--tracker: the JSON text: tracker\.classFusionIou: expected a number in \(0, 1\], got 3/],
    ['run: tracker options that are not JSON', ['run', SAMPLE_CLIP, '--tracker', '{classFusion:true}'], /--tracker: the JSON text: not valid JSON/],
    ['run: tracker options that are not an object', ['run', SAMPLE_CLIP, '--tracker', '[true]'], /--tracker: the JSON text: expected a JSON object of tracker options, got an array/],
    ['demo: a missing tracker options file', ['demo', '--tracker', '/no/such/tracker.json'], /--tracker: expected JSON options .* got "\/no\/such\/tracker\.json": no such file/],
    ['eval: a bad policy after a good one', ['eval', SAMPLE_CLIP, '--policies', 'never,bogus', '--traces', 'wifi-good'], /--policies "bogus"/],
    ['eval: an unknown trace', ['eval', SAMPLE_CLIP, '--traces', 'nope', '--policies', 'never'], /--traces: "nope" is neither a preset/],
    ['edge: a port out of range', ['edge', '--port', '70000'], /--port <n>' argument '70000' is invalid\. expected an integer in \[0, 65535\]/],
    ['edge: a port that is not a number', ['edge', '--port', 'abc'], /--port <n>' argument 'abc' is invalid/],
    ['edge: an unknown model', ['edge', '--port', '0', '--model', 'nope'], /--model: expected nanodet, centernet/],
    ['detect: an unknown model', ['detect', SAMPLE_CLIP, '--model', 'nope'], /--model: expected nanodet, centernet/],
  ])('%s', async (_name, args, message) => {
    // in-process (the real program, without a process start per case); test/cli/run-eval.test.ts
    // checks the exit status of the real process for bad flags
    const out = tempDir();
    const withOut = args[0] === 'edge' || args[0] === 'detect' ? args : [...args, '--out', out];
    const r = await mainInProcess(withOut);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    // nothing ran: no frame was processed, no report written
    expect(r.stderr).not.toMatch(/(run|eval|detect): \d+/);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
  });

  it('--tracker options reach the tracker: from a file, minNewTrackScore 1 lets no detection start a track', async () => {
    const dir = tempDir();
    const file = join(dir, 'tracker.json');
    writeFileSync(file, JSON.stringify({ minNewTrackScore: 1 }));
    const lines = async (extra: string[]) => {
      const out = join(dir, `out${extra.length}`);
      const r = await mainInProcess(['run', SAMPLE_CLIP, '--policy', 'periodic:2', '--max-frames', '8', '--no-eval', '--out', out, ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(join(out, 'tracks.txt'), 'utf8').trim().split('\n').filter(Boolean).length;
    };
    expect(await lines([])).toBeGreaterThan(0);
    expect(await lines(['--tracker', file])).toBe(0);
  });

  it('a learned policy run with other tracker options than it was trained with gets a note naming them; a fixed policy does not', async () => {
    const dir = tempDir();
    const run = (extra: string[]) => mainInProcess(['run', SAMPLE_CLIP, '--max-frames', '2', '--no-eval', '--out', join(dir, `o${extra.length}`), ...extra]);
    const learned = await run(['--tracker', '{"classFusion":true,"maxAge":40}']);
    expect(learned.code, learned.stderr).toBe(0);
    expect(learned.stderr).toContain('note: policy learned was trained with tracker options {"classFusion":false}, this run uses {"classFusion":true}');
    const fixed = await run(['--policy', 'periodic:5', '--tracker', '{"classFusion":true}']);
    expect(fixed.stderr).not.toContain('note:');
    const same = await run(['--tracker', '{"maxAge":40}']);
    expect(same.stderr).not.toContain('note:');
  });

  it('eval: one unparseable file in a --traces folder is named before any run', async () => {
    const traces = tempDir();
    writeFileSync(join(traces, 'a-good.txt'), '0 5.0\n1 4.0\n2 6.0\n');
    writeFileSync(join(traces, 'b-broken.txt'), 'this is not a trace\n');
    const out = tempDir();
    const r = await mainInProcess(['eval', SAMPLE_CLIP, '--traces', traces, '--policies', 'never', '--max-frames', '5', '--out', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('b-broken.txt');
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    expect(existsSync(join(out, 'runs'))).toBe(false);
  });

  it('an --out that is a file is refused at once', async () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    const r = await mainInProcess(['run', SAMPLE_CLIP, '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .*not-a-folder: exists and is not a folder/);
  });
});

describe('a remote edge', () => {
  it('a wrong token stops the run at start (exit 2) with the hint to set EDGETRACK_TOKEN, without retrying on', async () => {
    const edge = await spawnEdge('right-token', children);
    const out = tempDir();
    const started = Date.now();
    const r = await runCli(['run', 'lavfi:testsrc=size=320x240:rate=10', '--edge', edge.url, '--token', 'wrong', '--duration', '3', '--no-eval', '--out', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/edgetrack: the edge ws:\/\/127\.0\.0\.1:\d+ refused this device \(.*wrong token.*\); check the token: set EDGETRACK_TOKEN/);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    // no token at all: the hint says the edge needs one
    const none = await runCli(['run', SAMPLE_CLIP, '--edge', edge.url, '--max-frames', '3', '--no-eval', '--out', out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/the edge needs a token: set EDGETRACK_TOKEN/);
  });

  it('a model the edge does not serve stops the run at start (exit 2) naming the models it serves; without --model the edge\'s default is used', async () => {
    const edge = await spawnEdge('t', children);
    const out = tempDir();
    const r = await runCli(['run', SAMPLE_CLIP, '--edge', edge.url, '--model', 'centernet', '--max-frames', '5', '--no-eval', '--out', out], { EDGETRACK_TOKEN: 't' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/does not serve the model "centernet"; it serves nanodet: pass --model nanodet/);
    // a path model is asked for by its file stem, as the edge names it
    const path = await runCli(['run', SAMPLE_CLIP, '--edge', edge.url, '--model', '/models/yolox_nano.onnx', '--max-frames', '5', '--no-eval', '--out', out], { EDGETRACK_TOKEN: 't' });
    expect(path.code).toBe(2);
    expect(path.stderr).toMatch(/does not serve the model "yolox_nano" \(from \/models\/yolox_nano\.onnx\)/);
    const ok = await runCli(['run', SAMPLE_CLIP, '--edge', edge.url, '--policy', 'periodic:5', '--max-frames', '10', '--no-eval', '--out', out], { EDGETRACK_TOKEN: 't' });
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, any>;
    expect(report).toMatchObject({ model: 'nanodet', offloads: 2, answered: 2 });
    expect(report.bytesSent).toBe(report.bytesAttempted);
  }, 120_000);

  it('an unreachable edge: the run finishes with tracking only, exits 1 saying no offload was answered, and counts no byte as delivered', async () => {
    const out = tempDir();
    const r = await runCli(['run', SAMPLE_CLIP, '--edge', 'ws://127.0.0.1:1', '--policy', 'periodic:5', '--max-frames', '10', '--no-eval', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/edgetrack: no offload was answered: 2 sent to the edge ws:\/\/127\.0\.0\.1:1, failed with disconnected ×2/);
    expect(r.stdout).toMatch(/offloads\s+2 sent, 0 answered, 2 failed \(disconnected ×2\); 0\.0 KiB uplink delivered of [\d.]+ KiB attempted/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, any>;
    expect(report).toMatchObject({ frames: 10, offloads: 2, answered: 0, bytesSent: 0 });
    expect(report.bytesAttempted).toBeGreaterThan(10_000);
  }, 60_000);
});

describe('an answer still in flight when the input ends', () => {
  it('counts as answered: a one-frame run whose only offload comes back after the last frame exits 0', async () => {
    const out = tempDir();
    const r = await runCli(['run', SAMPLE_CLIP, '--max-frames', '1', '--policy', 'full', '--no-eval', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, any>;
    expect(report).toMatchObject({ offloads: 1, answered: 0, edgeAnswers: 1 }); // not applied on the device, but answered
  });
});

describe('what people read', () => {
  it('detect writes plain progress lines with total and percent when stderr is not a TTY (no carriage returns), and --max-frames stops it', async () => {
    const out = join(tempDir(), 'dets.txt');
    const r = await runCli(['detect', SAMPLE_CLIP, '--max-frames', '4', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).toMatch(/^detect: 1\/4 frames \(25%\)(, [\d.]+ frames\/s, ETA \d+ s)?$/m); // a rate once any time has passed
    expect(r.stderr).toMatch(/^detect: 4\/4 frames \(100%\), [\d.]+ frames\/s$/m);
    const frames = new Set(readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split(',')[0]));
    expect([...frames]).toEqual(['1', '2', '3', '4']);
  });

  it('detect … | head: the reader closing the pipe ends the command quietly with exit 0', async () => {
    const child = spawn(process.execPath, ['bin/edgetrack.js', 'detect', SAMPLE_CLIP, '--quiet'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // like `head -1`: read the first row, then close the pipe
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });

  it('re-running into the same --out removes the outputs of the earlier run (no stale annotated.mp4); --duration on a file counts seconds of video', async () => {
    const out = tempDir();
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'annotated.mp4'), 'from an earlier run');
    writeFileSync(join(out, 'notes.txt'), 'not ours');
    const r = await runCli(['run', SAMPLE_CLIP, '--duration', '0.5', '--policy', 'never', '--no-eval', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, 'annotated.mp4'))).toBe(false);
    expect(existsSync(join(out, 'notes.txt'))).toBe(true); // only the run's own files go
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).frames).toBe(5); // 0.5 s at 10 fps
  });

  it('--record-trace starts at the first measurement, not at the 10 Mbps prior', async () => {
    const dir = tempDir();
    const trace = join(dir, 'sub', 'uplink.txt');
    const r = await runCli(['run', SAMPLE_CLIP, '--max-frames', '25', '--policy', 'periodic:5', '--trace', 'lte-drive', '--record-trace', trace, '--no-eval', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    const samples = readFileSync(trace, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number));
    expect(samples.length).toBeGreaterThan(1);
    expect(samples[0][0]).toBeGreaterThan(0); // the first answer comes after the first offload's round trip
    expect(samples.every(([, mbps]) => mbps !== 10)).toBe(true);
  });

  it('edge on a port in use fails at once (before loading models) with one clear message, exit 1', async () => {
    const first = await spawnEdge('t', children);
    const started = Date.now();
    const r = await runCli(['edge', '--port', String(first.port), '--host', '127.0.0.1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`edgetrack: 127.0.0.1:${first.port} is already in use (another edge running?); pick another --port or --host (--port 0 = any free port)\n`);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

});

describe('help and README', () => {
  /** Long flags of a command, as --help lists them (without --help/--version). */
  async function helpFlags(name: string): Promise<Set<string>> {
    const program = await buildProgram();
    const cmd = program.commands.find((c) => c.name() === name)!;
    return new Set(cmd.options.map((o) => o.long!).filter((f) => f !== '--help'));
  }

  /** The README's CLI synopsis: flags per command (continuation lines belong to the command above). */
  function readmeFlags(): Map<string, Set<string>> {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /## CLI\n[\s\S]*?```\n([\s\S]*?)```/.exec(readme)![1];
    const out = new Map<string, Set<string>>();
    let current: Set<string> | undefined;
    for (const line of block.split('\n')) {
      const m = /^edgetrack (\w+)/.exec(line);
      if (m) out.set(m[1], (current = new Set()));
      else if (!/^\s/.test(line)) current = undefined;
      const synopsis = line.replace(/#.*$/, ''); // comments may mention flags of other commands
      for (const f of synopsis.matchAll(/--[a-z][a-z-]*/g)) current?.add(f[0]);
    }
    return out;
  }

  it('every command\'s flags in the README synopsis are exactly those of its --help', async () => {
    const readme = readmeFlags();
    const program = await buildProgram();
    for (const cmd of program.commands) {
      const name = cmd.name();
      expect(readme.has(name), `README synopsis lacks "edgetrack ${name}"`).toBe(true);
      expect([...readme.get(name)!].sort(), `edgetrack ${name}`).toEqual([...(await helpFlags(name))].sort());
    }
    for (const name of readme.keys()) expect(program.commands.map((c) => c.name()), `README lists "edgetrack ${name}"`).toContain(name);
  });

  it('demo --help states the demo\'s own defaults: the wifi-erratic channel, annotated.mp4 on (--no-annotate), ./out/demo', async () => {
    const r = await runCli(['demo', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--trace <trace>[\s\S]*default wifi-erratic/);
    expect(r.stdout).toContain('--no-annotate');
    expect(r.stdout).not.toMatch(/--annotate\b/);
    expect(r.stdout).toContain('(default: "out/demo")');
    const run = await runCli(['run', '--help']);
    expect(run.stdout).toMatch(/--annotate\s+also write annotated\.mp4/);
    expect(run.stdout).toContain('loop:file.mp4');
    expect(run.stdout).toContain('EDGETRACK_TOKEN');
  });
});
