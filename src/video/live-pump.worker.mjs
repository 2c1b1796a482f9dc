// Worker thread of the live source (see live-source.ts). Plain JavaScript so that it starts fast
// and without a TypeScript loader in any host (tsx, vitest, node).
//
// It starts ffmpeg, drains its rgb24 stdout continuously (so the capture runs in real time even
// while the main thread is busy), cuts it into frames and keeps a one-frame mailbox:
//   - main is ready  -> the frame is transferred (zero-copy) at once;
//   - main is busy   -> the frame replaces the one in the mailbox (latest frame wins) and the
//                       replaced frame is counted as dropped.
// Messages from main: 'ready' (previous frame consumed), 'stop' (kill ffmpeg; an 'end' follows).
// Messages to main: {type:'spawn', pid}, {type:'frame', index, ptsMs, buffer, received, dropped},
// {type:'end', code, signal, spawnError, stderrTail, received, dropped, stopped}.
import { spawn } from 'node:child_process';
import { parentPort, workerData } from 'node:worker_threads';

const { bin, args, frameBytes, tailChars, killGraceMs } = workerData;
const port = parentPort;

let tail = '';
let ready = true;
let slot = null;
let received = 0;
let dropped = 0;
let firstAt = -1;
let current = null;
let filled = 0;
let stopped = false;

const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
child.stderr.setEncoding('utf8');
child.stderr.on('data', (s) => {
  tail = (tail + s).slice(-tailChars);
});
child.stdout.on('error', () => {});
if (child.pid !== undefined) port.postMessage({ type: 'spawn', pid: child.pid });

function send(frame) {
  ready = false;
  port.postMessage(
    { type: 'frame', index: frame.index, ptsMs: frame.ptsMs, buffer: frame.buffer, received, dropped },
    [frame.buffer],
  );
}

function complete(buffer) {
  const now = performance.now();
  if (firstAt < 0) firstAt = now;
  const frame = { index: received, ptsMs: now - firstAt, buffer };
  received++;
  if (stopped) return;
  if (ready) send(frame);
  else {
    if (slot) dropped++;
    slot = frame;
  }
}

child.stdout.on('data', (chunk) => {
  let offset = 0;
  while (offset < chunk.length) {
    if (!current) {
      current = new Uint8Array(new ArrayBuffer(frameBytes));
      filled = 0;
    }
    const n = Math.min(frameBytes - filled, chunk.length - offset);
    current.set(chunk.subarray(offset, offset + n), filled);
    filled += n;
    offset += n;
    if (filled === frameBytes) {
      const done = current;
      current = null;
      filled = 0;
      complete(done.buffer);
    }
  }
});

let spawnError;
child.on('error', (err) => {
  spawnError = err.message;
  if (child.pid === undefined) finish(null, null);
});
child.on('close', (code, signal) => finish(code, signal));

let endMsg = null;
let endSent = false;

function finish(code, signal) {
  if (endMsg) return;
  endMsg = { type: 'end', code, signal, spawnError, stderrTail: tail.trim(), received, dropped, stopped, strayBytes: filled };
  flushEnd();
}

// 'end' goes out only after the mailbox frame (if any) was handed to main: messages stay ordered.
function flushEnd() {
  if (!endMsg || endSent) return;
  if (slot && !stopped) {
    if (!ready) return;
    send(slot);
    slot = null;
  }
  endSent = true;
  port.postMessage({ ...endMsg, received, dropped });
}

port.on('message', (msg) => {
  if (msg === 'ready') {
    if (slot) {
      const f = slot;
      slot = null;
      send(f);
    } else ready = true;
    flushEnd();
  } else if (msg === 'stop' && !stopped) {
    stopped = true;
    slot = null;
    child.stdout.destroy();
    child.kill('SIGTERM');
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, killGraceMs).unref();
  }
});
