import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMPTY, type Observable, catchError, exhaustMap, fromEvent, lastValueFrom, of, pipe, take, takeUntil, tap, timer } from 'rxjs';
import { type Clock, LiveClock, VirtualClock } from '../core/index.js';
import { createPolicy } from '../controller/index.js';
import { type EnergyBreakdown, type RunSummary, cocoLabelList, getDeviceProfile, latencySummary, toTrackingSummary } from '../eval/index.js';
import { MultiTracker } from '../tracker/index.js';
import { EdgeClient, type EdgeRequestError, ShapedSender, edgeModelName, modelServedBy, refusedTokenError, silentLogger } from '../transport/index.js';
import { openSource } from '../video/index.js';
import { DeviceSession } from './device-session.js';
import { edgeTimeMs } from './edge-time-profiles.js';
import { checkGtClass, evaluateTracks, loadHumanGroundTruth, loadRunGroundTruth } from './evaluate-run.js';
import { isOracleCached } from './oracle.js';
import { LiveOffloader } from './live-offloader.js';
import { type LocalEdge, startLocalEdge } from './local-edge.js';
import type { Offloader } from './offload-types.js';
import { applyLateDetections } from './operators/apply-late-detections.js';
import { decideAndOffload } from './operators/decide-and-offload.js';
import { fillDroppedFrames } from './operators/fill-dropped-frames.js';
import { toRows } from './operators/to-rows.js';
import { trackFrames } from './operators/track-frames.js';
import { type RowSink, writeRows } from './operators/write-rows.js';
import { ReplayOffloader } from './replay-offloader.js';
import { endOnSourceError, primeOfflineFrames, untilAborted } from './offline-frames.js';
import { pullFrames } from './operators/pull-frames.js';
import type { FrameRow } from './frame-row.js';
import { resolveChannel } from './resolve-channel.js';
import { RUN_DEFAULTS, type RunOptions, checkRunOptions } from './run-options.js';
import { AnnotatedRowSink } from './sinks/annotated-row-sink.js';
import { JsonlRowSink } from './sinks/jsonl-row-sink.js';
import { MotRowSink } from './sinks/mot-row-sink.js';
import { TrackCollector } from './sinks/track-collector.js';
import { TraceRecorder } from './trace-recorder.js';

/** Everything `report.json` holds: the {@link RunSummary} fields plus run details. */
export interface RunReport extends RunSummary {
  readonly input: string;
  readonly clock: 'replay' | 'live';
  readonly model: string;
  readonly device: string;
  readonly edge: string;
  readonly fps: number;
  readonly width: number;
  readonly height: number;
  readonly answered: number;
  readonly failed: number;
  /**
   * JPEG bytes of every offload the device decided (`bytesSent` counts only those the edge received:
   * answered, or refused by the edge itself; equal when the edge answered everything).
   */
  readonly bytesAttempted: number;
  /**
   * Requests the edge answered with detections, counted by the client: unlike `answered` (outcomes
   * applied on the device), it includes answers still in flight when the run ended. 0 means the edge
   * never answered anything.
   */
  readonly edgeAnswers: number;
  readonly failuresByCode: Readonly<Record<string, number>>;
  readonly katchupFallbacks: number;
  readonly droppedFrames: number;
  /** True when `options.signal` stopped the run before its input ended. */
  readonly interrupted: boolean;
  /**
   * Why the source failed after its first frame (ffmpeg killed, a camera or stream gone, a file
   * corrupt half-way), null when it did not. The run then ends there; the outputs and this report
   * cover the frames processed. (A source that fails before its first frame makes runPipeline throw.)
   */
  readonly sourceError: string | null;
  readonly recall: number;
  readonly gtBoxes: number;
  /**
   * Wall-time split of this machine's work (ms). `startupMs`: from the call to the first frame (probe,
   * edge start, connect, OpenCV init); `loopMs`: the frame loop until every sink is closed.
   */
  readonly timing: {
    readonly trackerMs: number; readonly katchupMs: number; readonly encodeMs: number; readonly totalMs: number;
    readonly startupMs: number; readonly loopMs: number;
    /** Loop time spent waiting for a frame's own JPEG encode after tracking it (the rest overlapped). */
    readonly encodeWaitMs: number;
    /** Loop time spent waiting for answers already due (replay: the real edge still working). */
    readonly edgeWaitMs: number;
  };
  readonly files: Readonly<Record<string, string>>;
}

/**
 * Runs the device pipeline on one input and writes `tracks.txt` (MOT), `frames.jsonl` (one row per
 * frame: tracks, decision, applied offloads, context features), optionally `annotated.mp4`, and
 * `report.json`. Replay clock: deterministic virtual time over the channel model; live clock: wall
 * time, latest-frame-wins. Every input frame yields exactly one output row, whatever the edge does.
 * `options.signal` stops a run early, and a source failing after its first frame ends it; in both
 * cases the outputs and the report cover the frames processed (`interrupted`, `sourceError`).
 */
export async function runPipeline(options: RunOptions): Promise<RunReport> {
  checkRunOptions(options);
  // fields explicitly set to undefined (forwarded optional options, e.g. from runExperiment) keep the default
  const o = { ...RUN_DEFAULTS, ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as RunOptions) };
  const log = o.log ?? (() => {});
  // ground truth and classes are checked before any work: a bad class or a gt.txt without a box of
  // the scored class fails here, not after the run
  checkGtClass(o.gtClass);
  const humanGt = o.gt && !o.noEval ? loadHumanGroundTruth(o.gt, { classes: o.classes, gtClass: o.gtClass }) : undefined;
  const started = performance.now();
  const source = openSource(o.input);
  const info = await source.info();
  const clockKind = o.clock ?? (source.live ? 'live' : 'replay');
  const device = getDeviceProfile(o.device);
  const policy = createPolicy(o.policy, o.tradeOff ? { tradeOff: o.tradeOff } : {});
  mkdirSync(o.outDir, { recursive: true });
  // outputs of an earlier run into the same folder would pass for this run's (e.g. annotated.mp4 without --annotate)
  for (const f of RUN_OUTPUT_FILES) rmSync(join(o.outDir, f), { force: true });

  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve().then(c).catch(() => {});
    cleanups.length = 0;
  };
  try {
    let local: LocalEdge | undefined;
    let url = o.edge;
    let token = o.token ?? process.env.EDGETRACK_TOKEN ?? '';
    const remote = o.edge !== 'local';
    if (o.edge === 'local') {
      log(`starting local edge server with model ${o.model}…`);
      local = await startLocalEdge(o.model, o.classes ? { classes: o.classes } : {});
      cleanups.push(() => local!.server.close());
      url = local.url;
      token = local.token;
    }
    const traceSpec = o.trace ?? (clockKind === 'replay' ? RUN_DEFAULTS.replayTrace : undefined);
    const channel = traceSpec ? await resolveChannel(traceSpec, { offsetMs: o.traceOffsetMs }) : undefined;
    const clock: Clock = clockKind === 'replay' ? new VirtualClock(0) : new LiveClock();
    const shaper = clockKind === 'live' && channel ? new ShapedSender(channel.model) : undefined;
    const client = new EdgeClient({
      url, token, name: `edgetrack-device-${process.pid}`,
      maxInFlight: clockKind === 'replay' ? 32 : 4,
      requestTimeoutMs: clockKind === 'replay' ? 120_000 : 5_000,
      logger: silentLogger,
      ...(shaper ? { shaper } : {}),
    }).start();
    cleanups.push(() => client.close());
    // A dead edge must never stop the device (replay included): wait a bounded time, then run with
    // tracking only; offloads fail (counted by code) until the client, retrying, gets through.
    // A refused token or a model the edge does not serve cannot get better: those stop the run here.
    await client.ready(clockKind === 'replay' ? 10_000 : 5_000).catch((e: EdgeRequestError) => {
      if (e.code === 'unauthorized') throw refusedTokenError(url, e.message.replace(/^edge refused this client: /, ''), token !== '');
      log(`edge ${url} not reachable (${e.message}): tracking continues, offloads fail until it answers; the client keeps retrying`);
    });
    // the model asked of a remote edge: --model (checked against what it serves), else its default
    const askModel = !remote ? undefined : client.welcome ? modelServedBy(url, client.welcome, options.model) : options.model && edgeModelName(options.model);
    const model = remote ? askModel ?? 'edge default' : o.model;
    if (remote) log(`edge ${url}: ${client.welcome ? `serves ${client.welcome.models.join(', ')}; ` : ''}asking for ${askModel ?? 'its default model'}`);

    const offloader: Offloader = clockKind === 'replay'
      ? new ReplayOffloader(client, channel!.model, edgeTimeMs(askModel ?? o.model, o.edgeMs), askModel)
      : new LiveOffloader(client, () => clock.now(), askModel);
    const tracker = await MultiTracker.create(o.tracker ?? {});
    cleanups.push(() => tracker.close());

    const virtual = clock instanceof VirtualClock ? clock : undefined;
    const session = new DeviceSession({
      tracker, policy, offloader, clock, device, fps: info.fps,
      advanceClock: (frame) => virtual?.advanceTo(Math.max(virtual.now(), frame.ptsMs)),
      ...(o.classes ? { classes: new Set(o.classes) } : {}),
    });
    const files: Record<string, string> = { tracks: join(o.outDir, 'tracks.txt'), frames: join(o.outDir, 'frames.jsonl'), report: join(o.outDir, 'report.json') };
    const collector = new TrackCollector();
    const sinks: RowSink[] = [new MotRowSink(files.tracks), new JsonlRowSink(files.frames), collector];
    if (o.annotate) {
      files.annotated = join(o.outDir, 'annotated.mp4');
      sinks.push(new AnnotatedRowSink(files.annotated, info.fps));
    }
    const recorder = o.recordTrace ? new TraceRecorder(clock.now()) : undefined;
    const total = o.maxFrames ?? info.frameCount;

    const perFrame = pipe(decideAndOffload(session), trackFrames(session), applyLateDetections(session), toRows(session));
    // a source failing after its first frame ends the run like the end of the input (reported below)
    let sourceError: Error | undefined;
    const onSourceError = (e: Error): void => {
      sourceError = e;
      log(`the source failed: ${e.message.split('\n')[0]}; finishing the run with the frames so far`);
    };
    let rows$: Observable<FrameRow>;
    if (source.live) {
      // latest frame wins: frames arriving while the device is busy are dropped (and get a row below)
      let frames$ = source.frames$.pipe(catchError((e: unknown) => {
        onSourceError(e instanceof Error ? e : new Error(String(e)));
        return EMPTY;
      }));
      if (o.maxFrames !== undefined) frames$ = frames$.pipe(take(o.maxFrames));
      if (o.durationSeconds !== undefined) frames$ = frames$.pipe(takeUntil(timer(o.durationSeconds * 1000)));
      if (o.signal) frames$ = o.signal.aborted ? EMPTY : frames$.pipe(takeUntil(fromEvent(o.signal, 'abort')));
      let lastInputIndex = -1;
      rows$ = frames$.pipe(
        tap((frame) => (lastInputIndex = frame.index)),
        exhaustMap((frame) => of(frame).pipe(perFrame)),
        fillDroppedFrames(() => lastInputIndex),
        writeRows(sinks),
      );
    } else {
      // the decoder's start-up (probe, ffmpeg, first frame) belongs to start-up, not to the frame loop
      const primed = await primeOfflineFrames(o.input, o.maxFrames);
      cleanups.push(() => primed.close());
      rows$ = pullFrames(endOnSourceError(untilAborted(primed.frames, o.signal), onSourceError), pipe(perFrame, writeRows(sinks)));
    }
    let rows = 0;
    const loopStarted = performance.now();
    let dropped = 0;
    try {
      await lastValueFrom(
        rows$.pipe(
          tap((row) => {
            rows++;
            if (row.dropped) dropped++;
            // before the first answer the estimate is only the prior: not a measurement
            if (session.counters.answered > 0) recorder?.sample(clock.now(), offloader.estimates().uplinkMbps);
            o.onProgress?.(rows, total);
          }),
        ),
        { defaultValue: undefined },
      );
    } finally {
      await offloader.drain().catch(() => {});
      for (const s of sinks) await s.close();
    }
    if (sourceError && rows === 0) throw sourceError; // nothing to report: fail as before
    const loopMs = performance.now() - loopStarted;
    // aborted, and not merely after the last frame (a count may be unknown: NaN or null)
    const interrupted = (o.signal?.aborted ?? false) && (source.live || !(typeof total === 'number' && rows >= total));
    const durationMs = clockKind === 'replay' ? (rows * 1000) / info.fps : performance.now() - started;
    session.chargeRunEnergy(durationMs);
    if (recorder && o.recordTrace) {
      recorder.write(o.recordTrace);
      files.recordedTrace = o.recordTrace;
    }

    const c = session.counters;
    let metrics = { mar: Number.NaN, ar50: Number.NaN, precision: Number.NaN, f1: Number.NaN, recall: Number.NaN, gtCount: 0 };
    let gtKind: RunReport['groundTruth'] = 'none';
    let scoring: Pick<RunSummary, 'hota' | 'mota' | 'idf1' | 'tracking' | 'scoredClasses' | 'classSource' | 'warnings'> = {};
    // a run cut short is scored against --gt only: the oracle would decode (and detect on) the input again
    const cutShort = interrupted || sourceError !== undefined;
    if (cutShort && !o.gt && !o.noEval && !source.live) log(`${interrupted ? 'interrupted' : 'stopped by the source'} after ${rows} frames: not computing the oracle ground truth (no mAR); pass --gt to score such runs`);
    if (!o.noEval && !source.live && !(cutShort && !o.gt)) {
      const oracleModel = BUILTIN_ORACLE_MODELS.includes(model) ? model : o.model;
      log(o.gt ? `evaluating against ${o.gt}` : `evaluating against the oracle (${oracleModel} on every frame${isOracleCached(o.input, { model: oracleModel, frames: rows }) ? ', read from the cache' : ', computed once for this input and cached'})`);
      const gt = await loadRunGroundTruth(o.input, {
        human: humanGt, classes: o.classes, gtClass: o.gtClass, model: oracleModel, frames: rows, onProgress: (n) => o.onOracleProgress?.(n, rows),
      });
      gtKind = gt.kind;
      const score = evaluateTracks(collector.byFrame, gt, rows);
      metrics = score.detection;
      const tracking = score.tracking ? toTrackingSummary(score.tracking) : undefined;
      scoring = {
        hota: tracking?.hota ?? Number.NaN, mota: tracking?.mota ?? Number.NaN, idf1: tracking?.idf1 ?? Number.NaN,
        ...(tracking ? { tracking } : {}),
        scoredClasses: cocoLabelList(gt.classes ?? score.classIds), classSource: gt.classDescription, warnings: score.warnings,
      };
      for (const w of score.warnings) log(`WARNING: ${w}`);
    }
    const energy: EnergyBreakdown = session.energy.breakdown(durationMs);
    const report: RunReport = {
      policy: policy.name,
      trace: channel?.name ?? 'unshaped',
      frames: rows,
      mar: metrics.mar,
      ar50: metrics.ar50,
      precision: metrics.precision,
      f1: metrics.f1,
      recall: metrics.recall,
      gtBoxes: metrics.gtCount,
      groundTruth: gtKind,
      ...scoring,
      offloads: c.offloads,
      bytesSent: client.counters().imageBytesDelivered,
      katchupFrames: c.katchupFrames,
      deviceEnergyJ: energy.total,
      energyByComponent: energy,
      detectionLatencyMs: latencySummary(c.latenciesMs),
      wallSeconds: (performance.now() - started) / 1000,
      input: o.input,
      clock: clockKind,
      model,
      device: device.name,
      edge: o.edge,
      fps: info.fps,
      width: info.width,
      height: info.height,
      answered: c.answered,
      failed: c.failed,
      bytesAttempted: c.bytesSent,
      edgeAnswers: client.counters().answered,
      failuresByCode: c.failuresByCode,
      katchupFallbacks: c.katchupFallbacks,
      droppedFrames: dropped,
      interrupted,
      sourceError: sourceError?.message ?? null,
      timing: {
        trackerMs: c.trackerMs, katchupMs: c.katchupMs, encodeMs: c.encodeMs, encodeWaitMs: c.encodeWaitMs, edgeWaitMs: c.edgeWaitMs, totalMs: performance.now() - started,
        startupMs: loopStarted - started, loopMs,
      },
      files,
    };
    writeFileSync(files.report, `${JSON.stringify(report, nanToNull, 2)}\n`);
    return report;
  } finally {
    await cleanup();
  }
}

/** Files a run writes into its output folder (removed at the start of a run). */
export const RUN_OUTPUT_FILES = Object.freeze(['tracks.txt', 'frames.jsonl', 'annotated.mp4', 'report.json']);

const BUILTIN_ORACLE_MODELS: readonly string[] = ['nanodet', 'centernet'];

/** JSON has no NaN: undefined ratios are written as null. */
export function nanToNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
