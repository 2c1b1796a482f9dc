import { spawn, type ChildProcess } from 'node:child_process';
import { resolveFfPath, type FfTool } from './ffmpeg-path.js';

/** Options of {@link FfProcess.spawn}. */
export interface FfProcessOptions {
  /** Path or spec named in error messages. */
  readonly label: string;
  /** Open a stdin pipe (encoders); otherwise stdin is ignored. Default false. */
  readonly stdin?: boolean;
  /** Open a stdout pipe (decoders); otherwise stdout is ignored. Default true. */
  readonly stdout?: boolean;
  /** After SIGTERM, wait this long (ms) before SIGKILL. Default 1000 ms. */
  readonly killGraceMs?: number;
  /** Characters of stderr kept for error messages. Default 4000. */
  readonly stderrTailChars?: number;
}

/** How a child ended. `spawnError` is set when the binary could not be started at all. */
export interface FfExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly spawnError?: Error;
}

const DEFAULTS = { stdin: false, stdout: true, killGraceMs: 1000, stderrTailChars: 4000 };
const running = new Set<FfProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: never leave ffmpeg children behind when this process exits.
  process.once('exit', () => {
    for (const p of running) p.child.kill('SIGKILL');
  });
}

/**
 * One ffmpeg/ffprobe child process: keeps the tail of its stderr for error messages, exposes a
 * promise of its exit, and kills it on {@link FfProcess.kill} (SIGTERM, then SIGKILL after a grace
 * period; idempotent).
 */
export class FfProcess {
  readonly child: ChildProcess;
  readonly label: string;
  readonly args: readonly string[];
  /** Resolves (never rejects) when the child has exited and been reaped. */
  readonly exited: Promise<FfExit>;
  private tail = '';
  private exit: FfExit | undefined;
  private killing: Promise<FfExit> | undefined;
  private readonly opts: Required<Omit<FfProcessOptions, 'label'>>;

  private constructor(tool: FfTool, args: readonly string[], options: FfProcessOptions) {
    this.opts = { ...DEFAULTS, ...options };
    this.label = options.label;
    this.args = args;
    const bin = resolveFfPath(tool).path;
    this.child = spawn(bin, args as string[], {
      stdio: [this.opts.stdin ? 'pipe' : 'ignore', this.opts.stdout ? 'pipe' : 'ignore', 'pipe'],
      windowsHide: true,
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (s: string) => {
      this.tail = (this.tail + s).slice(-this.opts.stderrTailChars);
    });
    // EPIPE on stdin/stdout after the child died is reported through the exit status instead.
    this.child.stdin?.on('error', () => {});
    this.child.stdout?.on('error', () => {});
    running.add(this);
    installExitHook();
    this.exited = new Promise<FfExit>((resolve) => {
      this.child.once('error', (err) => {
        // 'error' without 'close' when the binary cannot be spawned.
        if (this.child.pid === undefined) {
          this.exit = { code: null, signal: null, spawnError: err };
          running.delete(this);
          resolve(this.exit);
        }
      });
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal };
        running.delete(this);
        resolve(this.exit);
      });
    });
  }

  /** Starts `tool` with `args` (binary resolved by {@link resolveFfPath}). */
  static spawn(tool: FfTool, args: readonly string[], options: FfProcessOptions): FfProcess {
    return new FfProcess(tool, args, options);
  }

  /** OS process id (undefined only when spawning failed). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Exit status once the child has exited, else undefined. */
  get exitStatus(): FfExit | undefined {
    return this.exit;
  }

  /** Last characters of stderr (trimmed). */
  stderrTail(): string {
    return this.tail.trim();
  }

  /** Short description of the exit for messages: "exit code 1", "signal SIGKILL", "spawn error: …". */
  describeExit(exit: FfExit | undefined = this.exit): string {
    if (!exit) return 'still running';
    if (exit.spawnError) return `could not start: ${exit.spawnError.message}`;
    return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
  }

  /**
   * Stops the child: closes its pipes, sends SIGTERM, then SIGKILL if it has not exited after
   * `killGraceMs`. Idempotent; resolves once the child has been reaped.
   */
  kill(): Promise<FfExit> {
    if (this.exit) return Promise.resolve(this.exit);
    if (this.killing) return this.killing;
    this.child.stdout?.destroy();
    this.child.stdin?.destroy();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!this.exit) this.child.kill('SIGKILL');
    }, this.opts.killGraceMs);
    this.killing = this.exited.finally(() => clearTimeout(timer));
    return this.killing;
  }
}

/** Process ids of ffmpeg/ffprobe children of this process that have not exited yet. */
export function runningFfPids(): number[] {
  return [...running].map((p) => p.pid).filter((p): p is number => p !== undefined);
}

/**
 * Runs a child to completion and collects its stdout as text. Resolves with the output and exit
 * status (does not throw on non-zero exit: callers build their own error with the stderr tail).
 */
export async function runFfToText(
  tool: FfTool,
  args: readonly string[],
  label: string,
): Promise<{ stdout: string; exit: FfExit; stderrTail: string }> {
  const p = FfProcess.spawn(tool, args, { label });
  const chunks: Buffer[] = [];
  p.child.stdout!.on('data', (c: Buffer) => chunks.push(c));
  const exit = await p.exited;
  return { stdout: Buffer.concat(chunks).toString('utf8'), exit, stderrTail: p.stderrTail() };
}
