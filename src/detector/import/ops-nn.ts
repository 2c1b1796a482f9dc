import { attr, type OnnxAttr } from './onnx-builder.js';
import { type ConvertContext, UnsupportedOpError, attrInts, attrOf, attrString, attrStrings } from './context.js';
import type { TfConst, TfNode } from './tfjs-graph.js';

/**
 * Convolution, pooling and resize ops. TF tensors are NHWC; each op is wrapped in NHWC→NCHW→NHWC
 * transposes (onnxruntime's transpose optimiser removes back-to-back pairs).
 */

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

function isNchw(node: TfNode): boolean {
  return attrString(node, 'data_format', 'NHWC') === 'NCHW';
}

function spatial(node: TfNode, key: string, nchw: boolean): number[] {
  const v = attrInts(node, key, [1, 1, 1, 1]);
  return nchw ? [v[2], v[3]] : [v[1], v[2]];
}

function paddingAttrs(node: TfNode, nchw: boolean): Record<string, OnnxAttr> {
  const padding = attrString(node, 'padding', 'VALID');
  if (padding === 'SAME') return { auto_pad: attr.string('SAME_UPPER') };
  if (padding === 'VALID') return { pads: attr.ints([0, 0, 0, 0]) };
  if (padding === 'EXPLICIT') {
    const p = attrInts(node, 'explicit_paddings', []);
    const [h0, h1, w0, w1] = nchw ? [p[4], p[5], p[6], p[7]] : [p[2], p[3], p[4], p[5]];
    return { pads: attr.ints([h0, w0, h1, w1]) };
  }
  throw new UnsupportedOpError(`node ${node.name} (${node.op}): padding ${padding} not supported (expected SAME, VALID or EXPLICIT)`, { node: node.name });
}

/** HWIO (TF conv) → OIHW (ONNX). */
function hwioToOihw(w: TfConst): { data: Float32Array; dims: number[] } {
  const [kh, kw, ci, co] = w.shape;
  const src = w.data as Float32Array;
  const out = new Float32Array(src.length);
  for (let h = 0; h < kh; h++) for (let x = 0; x < kw; x++) for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) {
    out[((o * ci + i) * kh + h) * kw + x] = src[((h * kw + x) * ci + i) * co + o];
  }
  return { data: out, dims: [co, ci, kh, kw] };
}

/** Depthwise [kh,kw,C,M] → grouped conv weights [C·M,1,kh,kw]. */
function depthwiseToOihw(w: TfConst): { data: Float32Array; dims: number[] } {
  const [kh, kw, c, m] = w.shape;
  const src = w.data as Float32Array;
  const out = new Float32Array(src.length);
  for (let h = 0; h < kh; h++) for (let x = 0; x < kw; x++) for (let ch = 0; ch < c; ch++) for (let k = 0; k < m; k++) {
    out[((ch * m + k) * kh + h) * kw + x] = src[((h * kw + x) * c + ch) * m + k];
  }
  return { data: out, dims: [c * m, 1, kh, kw] };
}

function wrapNchw(ctx: ConvertContext, node: TfNode, x: string, body: (xn: string) => string): string {
  if (isNchw(node)) return body(x);
  const [xn] = ctx.g.addNode('Transpose', [x], { name: `${node.name}/to_nchw`, attrs: { perm: attr.ints(TO_NCHW) } });
  const y = body(xn);
  return ctx.g.addNode('Transpose', [y], { name: `${node.name}/to_nhwc`, attrs: { perm: attr.ints(TO_NHWC) } })[0];
}

function activation(ctx: ConvertContext, node: TfNode, op: string, x: string): string {
  switch (op) {
    case 'Relu': return ctx.g.addNode('Relu', [x], { name: `${node.name}/relu` })[0];
    case 'Relu6': return ctx.g.addNode('Clip', [x, ctx.g.addFloat(`${node.name}/min`, [0], []), ctx.g.addFloat(`${node.name}/max`, [6], [])], { name: `${node.name}/relu6` })[0];
    case 'LeakyRelu': return ctx.g.addNode('LeakyRelu', [x], { name: `${node.name}/leaky`, attrs: { alpha: attr.float(attrOf(node, 'leakyrelu_alpha')?.f ?? 0.2) } })[0];
    case 'Elu': return ctx.g.addNode('Elu', [x], { name: `${node.name}/elu` })[0];
    default: throw new UnsupportedOpError(`node ${node.name} (${node.op}): fused op ${op} not supported (expected BiasAdd followed by Relu, Relu6, LeakyRelu or Elu)`, { node: node.name });
  }
}

function convert(ctx: ConvertContext, node: TfNode, depthwise: boolean): void {
  const nchw = isNchw(node);
  const w = ctx.constInput(node, 1, 'filter');
  const { data, dims } = depthwise ? depthwiseToOihw(w) : hwioToOihw(w);
  const wName = ctx.g.addInitializer(`${node.name}/weights_oihw`, 1, dims, data);
  const fused = node.op.startsWith('Fused') || node.op.startsWith('_Fused') ? attrStrings(node, 'fused_ops') : [];
  const inputs = [ctx.input(node, 0), wName];
  if (fused.length > 0) {
    if (fused[0] !== 'BiasAdd') throw new UnsupportedOpError(`node ${node.name} (${node.op}): fused_ops ${fused.join(',')} not supported (expected BiasAdd first)`, { node: node.name });
    inputs.push(ctx.input(node, 2));
  }
  const attrs: Record<string, OnnxAttr> = {
    strides: attr.ints(spatial(node, 'strides', nchw)),
    dilations: attr.ints(spatial(node, 'dilations', nchw)),
    kernel_shape: attr.ints([dims[2], dims[3]]),
    ...paddingAttrs(node, nchw),
  };
  if (depthwise) attrs.group = attr.int(w.shape[2]);
  const out = wrapNchw(ctx, node, inputs[0], (xn) => {
    let y = ctx.g.addNode('Conv', [xn, ...inputs.slice(1)], { name: node.name, attrs })[0];
    for (const op of fused.slice(1)) y = activation(ctx, node, op, y);
    return y;
  });
  ctx.set(node.name, { kind: 'dyn', name: out, dtype: 'float' });
}

function pool(ctx: ConvertContext, node: TfNode, onnxOp: 'MaxPool' | 'AveragePool'): void {
  const nchw = isNchw(node);
  const attrs: Record<string, OnnxAttr> = {
    kernel_shape: attr.ints(spatial(node, 'ksize', nchw)),
    strides: attr.ints(spatial(node, 'strides', nchw)),
    ...paddingAttrs(node, nchw),
  };
  if (onnxOp === 'AveragePool') attrs.count_include_pad = attr.int(0);
  const out = wrapNchw(ctx, node, ctx.input(node, 0), (xn) => ctx.g.addNode(onnxOp, [xn], { name: node.name, attrs })[0]);
  ctx.set(node.name, { kind: 'dyn', name: out, dtype: 'float' });
}

function resize(ctx: ConvertContext, node: TfNode, mode: 'linear' | 'nearest'): void {
  const size = ctx.constInput(node, 1, 'size');
  const alignCorners = attrOf(node, 'align_corners')?.b === true;
  const halfPixel = attrOf(node, 'half_pixel_centers')?.b === true;
  const attrs: Record<string, OnnxAttr> = { mode: attr.string(mode) };
  if (mode === 'linear') {
    attrs.coordinate_transformation_mode = attr.string(alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric');
  } else {
    attrs.coordinate_transformation_mode = attr.string(alignCorners ? 'align_corners' : halfPixel ? 'tf_half_pixel_for_nn' : 'asymmetric');
    attrs.nearest_mode = attr.string(alignCorners || halfPixel ? 'round_prefer_ceil' : 'floor');
  }
  const sizes = ctx.g.addInt64(`${node.name}/sizes`, Array.from(size.data));
  const out = wrapNchw(ctx, node, ctx.input(node, 0), (xn) =>
    ctx.g.addNode('Resize', [xn, '', '', sizes], { name: node.name, attrs: { ...attrs, axes: attr.ints([2, 3]) } })[0]);
  ctx.set(node.name, { kind: 'dyn', name: out, dtype: 'float' });
}

/** Converters for NN ops, by TF op name. */
export const NN_OPS: Record<string, (ctx: ConvertContext, node: TfNode) => void> = {
  Conv2D: (c, n) => convert(c, n, false),
  _FusedConv2D: (c, n) => convert(c, n, false),
  DepthwiseConv2dNative: (c, n) => convert(c, n, true),
  FusedDepthwiseConv2dNative: (c, n) => convert(c, n, true),
  MaxPool: (c, n) => pool(c, n, 'MaxPool'),
  AvgPool: (c, n) => pool(c, n, 'AveragePool'),
  ResizeBilinear: (c, n) => resize(c, n, 'linear'),
  ResizeNearestNeighbor: (c, n) => resize(c, n, 'nearest'),
};
