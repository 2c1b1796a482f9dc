import type { DetectResult } from '../../core/index.js';

/**
 * Messages between a {@link ThreadedDetector} and its worker thread. Inputs are copied (structured
 * clone), never transferred: the caller keeps its frame and JPEG buffers.
 */
export type ToWorker =
  | { readonly type: 'detect'; readonly id: number; readonly input: WorkerInput }
  | { readonly type: 'close' };

/** A detector input as it crosses the thread boundary. */
export type WorkerInput =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'frame'; readonly index: number; readonly ptsMs: number; readonly width: number; readonly height: number; readonly rgb: Uint8Array };

/** An error as it crosses the thread boundary (class name, message, ValidationError info). */
export interface WorkerError {
  readonly name: string;
  readonly message: string;
  readonly info?: Readonly<Record<string, unknown>>;
}

/** What the worker reports about the loaded model. */
export interface WorkerModelInfo {
  readonly name: string;
  readonly family: string;
  readonly modelPath: string;
  readonly inputWidth: number;
  readonly inputHeight: number;
}

export type FromWorker =
  | { readonly type: 'ready'; readonly model: WorkerModelInfo }
  | { readonly type: 'create-failed'; readonly error: WorkerError }
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'result'; readonly id: number; readonly result: DetectResult }
  | { readonly type: 'failed'; readonly id: number; readonly error: WorkerError }
  | { readonly type: 'closed' };
