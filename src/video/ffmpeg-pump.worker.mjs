// Worker thread that runs ffmpeg for the live and file sources (see ffmpeg-pump.ts). Plain
// JavaScript so that it starts fast and without a TypeScript loader in any host (tsx, vitest, node).
//
// It starts ffmpeg, drains its rgb24 stdout on this thread (so decoding goes on while the main
// thread is busy, e.g. in a synchronous tracker step) and cuts it into frames. Two modes:
//   - latest (live sources; workerData.maxQueued undefined): a one-frame mailbox —
//       main is ready  -> the frame is transferred (zero-copy) at once;
//       main is busy   -> the frame replaces the one in the mailbox (latest frame wins) and the
//                         replaced frame is counted as dropped;
//   - queue (file sources; workerData.maxQueued = N): every frame is transferred at once, nothing
//     is dropped; once N frames are unconsumed, ffmpeg's stdout is paused (the pipe then blocks
//     ffmpeg) until main consumes one.
// Messages from main: 'ready' (a frame was consumed), 'stop' (kill ffmpeg; an 'end' follows).
// Messages to main: {type:'spawn', pid}, {type:'frame', index, ptsMs, buffer, received, dropped},
// {type:'end', code, signal, spawnError, stderrTail, received, dropped, stopped}.
import { spawn } from 'node:child_process';
import { parentPort, workerData } from 'node:worker_threads';
import { FrameAssembler } from './frame-assembler.mjs';

const { bin, args, frameBytes, tailChars, killGraceMs, maxQueued } = workerData;
const queueMode = maxQueued !== undefined;
let unconsumed = 0;
const port = parentPort;

let tail = '';
let ready = true;
let slot = null;
let received = 0;
let dropped = 0;
let firstAt = -1;
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
  if (queueMode) {
    unconsumed++;
    send(frame);
    if (unconsumed >= maxQueued) child.stdout.pause();
    return;
  }
  if (ready) send(frame);
  else {
    if (slot) dropped++;
    slot = frame;
  }
}

const assembler = new FrameAssembler(frameBytes);
child.stdout.on('data', (chunk) => assembler.push(chunk, (frame) => complete(frame.buffer)));

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
  endMsg = { type: 'end', code, signal, spawnError, stderrTail: tail.trim(), received, dropped, stopped, strayBytes: assembler.pendingBytes };
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
  if (msg === 'ready' && queueMode) {
    unconsumed--;
    if (unconsumed < maxQueued && child.stdout.isPaused()) child.stdout.resume();
  } else if (msg === 'ready') {
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
