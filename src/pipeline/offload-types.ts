import type { Detection, KatchupMode, QualityLevel } from '../core/index.js';

/** One offload sent by the device. */
export interface OffloadTicket {
  /** Frame whose image was sent. */
  readonly frameIndex: number;
  /** Device clock time when it was sent (ms). */
  readonly sentMs: number;
  /** Payload bytes (the JPEG). */
  readonly bytes: number;
  readonly quality: QualityLevel;
  readonly katchup: KatchupMode;
  /** Size of the frame (detections are mapped back to it). */
  readonly frameWidth: number;
  readonly frameHeight: number;
}

/** What became of one offload, as seen by the device when it is due. */
export type OffloadOutcome =
  | {
      readonly status: 'ok';
      readonly ticket: OffloadTicket;
      /** Detections in frame pixels. */
      readonly detections: readonly Detection[];
      /** Device clock time when the device has them (ms). */
      readonly arrivalMs: number;
      /** Edge queue wait reported (live) or modelled (replay), ms. */
      readonly edgeQueueMs: number;
    }
  | {
      readonly status: 'failed';
      readonly ticket: OffloadTicket;
      /** Stable error code (transport's EdgeErrorCode or `encode`). */
      readonly code: string;
      readonly message: string;
      readonly arrivalMs: number;
    };

/** Channel estimates the controller sees. NaN-free: priors are used before the first sample. */
export interface OffloadEstimates {
  readonly uplinkMbps: number;
  readonly rttMs: number;
  readonly edgeQueueMs: number;
}

/**
 * Sends offloads and hands back their outcomes when they are due on the device's clock.
 * Replay: due at the modelled arrival time (the real edge answer is awaited then). Live: due when
 * the answer has actually arrived.
 */
export interface Offloader {
  /** Sends a JPEG of `ticket.frameIndex`. Never throws: failures come back as outcomes. */
  send(jpeg: Uint8Array, encodedWidth: number, encodedHeight: number, ticket: OffloadTicket): void;
  /** Outcomes due at or before `nowMs`, in the order they became due. */
  collect(nowMs: number): Promise<OffloadOutcome[]>;
  /** Sent and not yet collected. */
  readonly inFlight: number;
  estimates(): OffloadEstimates;
  /** Waits for every outstanding request to settle (outcomes are dropped). */
  drain(): Promise<void>;
}
