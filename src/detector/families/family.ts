/**
 * A model family: how to recognise its ONNX signature, how to build its input tensor, and how to turn
 * its raw outputs into candidate boxes in model-input pixels. One file per family; the registry
 * (`registry.ts`) picks the family by name or by matching the model's inputs and outputs.
 */

/** Family names accepted by `Detector.create({ family })` and `--family`. */
export const FAMILY_NAMES = ['nanodet', 'centernet', 'yolox', 'yolov8'] as const;
/** One of {@link FAMILY_NAMES}. */
export type FamilyName = (typeof FAMILY_NAMES)[number];

/** Name and shape of one model input or output (symbolic dims are strings). */
export interface TensorSig {
  readonly name: string;
  readonly shape: readonly (number | string)[];
}

/** The signature of an ONNX model. */
export interface ModelSignature {
  readonly inputs: readonly TensorSig[];
  readonly outputs: readonly TensorSig[];
}

/** How a frame becomes the input tensor. Values are `(pixel − mean[c]) · scale[c]` in tensor channel order. */
export interface PreprocessSpec {
  readonly width: number;
  readonly height: number;
  /** `stretch`: resize to width×height; `letterbox-*`: keep aspect ratio, pad with `padValue`. */
  readonly resize: 'stretch' | 'letterbox-topleft' | 'letterbox-center';
  readonly channelOrder: 'rgb' | 'bgr';
  readonly layout: 'nchw' | 'nhwc';
  readonly mean: readonly [number, number, number];
  readonly scale: readonly [number, number, number];
  /** Pixel value (0-255, before normalisation) of letterbox padding. */
  readonly padValue: number;
}

/** Raw output tensor as given to a decoder. */
export interface RawOutput {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/** Decoder settings. */
export interface DecodeOptions {
  readonly scoreThreshold: number;
  /** `allowed[c] === 1` when class c is wanted; undefined = all classes. */
  readonly allowed?: Uint8Array;
}

/** Candidate boxes before NMS, in model-input pixels. Parallel arrays. */
export interface Candidates {
  /** x1, y1, x2, y2 per candidate. */
  readonly boxes: number[];
  readonly scores: number[];
  readonly classes: number[];
}

/** A family bound to one model: input name, pre-processing and decoder. */
export interface FamilyBinding {
  readonly family: FamilyName;
  readonly inputName: string;
  readonly inputShape: readonly number[];
  readonly pre: PreprocessSpec;
  /** Number of classes the model predicts. */
  readonly numClasses: number;
  /** Turns raw outputs into candidates (score threshold and class filter applied; NMS is done by the detector). */
  readonly decode: (outputs: Readonly<Record<string, RawOutput>>, options: DecodeOptions) => Candidates;
}

/** A family: `bind` returns a binding, or a string saying why the signature does not match. */
export interface ModelFamily {
  readonly name: FamilyName;
  /** What the family expects, for error messages. */
  readonly expects: string;
  bind(sig: ModelSignature): FamilyBinding | string;
}

/** Numeric dims or undefined when any dim is symbolic. */
export function numericDims(shape: readonly (number | string)[]): number[] | undefined {
  return shape.every((d) => typeof d === 'number' && d > 0) ? (shape as number[]) : undefined;
}

/** Formats a signature as `inputs: images[1,3,416,416]; outputs: output[1,3549,85]`. */
export function describeSignature(sig: ModelSignature): string {
  const f = (t: TensorSig): string => `${t.name}[${t.shape.join(',')}]`;
  return `inputs: ${sig.inputs.map(f).join(', ')}; outputs: ${sig.outputs.map(f).join(', ')}`;
}

/**
 * Input size from an image input of shape [1,3,H,W] (NCHW) or [1,H,W,3] (NHWC); symbolic H/W fall back
 * to `fallback`.
 */
export function imageInput(sig: ModelSignature, layout: 'nchw' | 'nhwc', fallback = 640): { name: string; width: number; height: number; shape: number[] } | string {
  if (sig.inputs.length !== 1) return `expected 1 input, found ${sig.inputs.length}`;
  const { name, shape } = sig.inputs[0];
  if (shape.length !== 4) return `expected a 4-D image input, found ${name}[${shape.join(',')}]`;
  const c = layout === 'nchw' ? shape[1] : shape[3];
  if (c !== 3) return `expected 3 channels ${layout === 'nchw' ? 'at dim 1 (NCHW)' : 'at dim 3 (NHWC)'}, found ${name}[${shape.join(',')}]`;
  const h = layout === 'nchw' ? shape[2] : shape[1];
  const w = layout === 'nchw' ? shape[3] : shape[2];
  const height = typeof h === 'number' && h > 0 ? h : fallback;
  const width = typeof w === 'number' && w > 0 ? w : fallback;
  return { name, width, height, shape: layout === 'nchw' ? [1, 3, height, width] : [1, height, width, 3] };
}
