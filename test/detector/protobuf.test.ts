import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { ProtoWriter } from '../../src/detector/import/protobuf.js';
import { GraphBuilder, OnnxType, attr } from '../../src/detector/import/onnx-builder.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('ProtoWriter (wire format)', () => {
  it('encodes varints, negatives, floats, strings and nested messages', () => {
    // field 1, varint 150 → tag 0x08, 0x96 0x01 (the protobuf docs example)
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('089601');
    // field 2 (tag 0x10), -1 as 10-byte two's complement varint
    expect(hex(new ProtoWriter().int(2, -1).finish())).toBe('10ffffffffffffffffff01');
    // field 2 fixed32 float 1.0 → tag 0x15, 00 00 80 3f
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('150000803f');
    // field 2 string "testing" → tag 0x12, len 7
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    // nested: field 3 containing {1: 150}
    expect(hex(new ProtoWriter().message(3, new ProtoWriter().int(1, 150)).finish())).toBe('1a03089601');
    // packed repeated: field 4 [3, 270, 86942] (protobuf docs)
    expect(hex(new ProtoWriter().packedInts(4, [3, 270, 86942]).finish())).toBe('2206038e029ea705');
  });

  it('keeps large byte fields intact across internal chunks', () => {
    const big = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251);
    const out = new ProtoWriter().int(1, 1).bytes(2, big).int(3, 2).finish();
    // tag(1)=08 01, tag(2)=12 + varint(100000)=a0 8d 06, payload, tag(3)=18 02
    expect(hex(out.subarray(0, 6))).toBe('0801' + '12a08d06');
    expect(Buffer.compare(out.subarray(6, 6 + big.length), big)).toBe(0);
    expect(hex(out.subarray(out.length - 2))).toBe('1802');
  });
});

describe('GraphBuilder → onnxruntime', () => {
  it('builds a model that onnxruntime loads and evaluates exactly', async () => {
    const g = new GraphBuilder();
    g.inputs.push({ name: 'x', type: OnnxType.FLOAT, shape: [1, 2, 2, 2] });
    const w = g.addFloat('w', [1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 1, 2]);
    const [conv] = g.addNode('Conv', ['x', w], { attrs: { kernel_shape: attr.ints([1, 2]), pads: attr.ints([0, 0, 0, 0]) } });
    const [y] = g.addNode('LeakyRelu', [conv], { outputs: ['y'], attrs: { alpha: attr.float(0.5) } });
    g.outputs.push({ name: y, type: OnnxType.FLOAT, shape: [1, 2, 2, 1] });
    const session = await ort.InferenceSession.create(g.toBytes({ producer: 'test' }));
    try {
      // x channel 0 = [[1,2],[3,4]], channel 1 = [[-1,-2],[-3,-4]]
      const x = new Float32Array([1, 2, 3, 4, -1, -2, -3, -4]);
      const out = await session.run({ x: new ort.Tensor('float32', x, [1, 2, 2, 2]) });
      // out[o][r] = Σ_c Σ_k w[o][c][0][k] · x[c][r][k]
      // o=0, r=0: 1·1 + 2·2 + 3·(−1) + 4·(−2) = −6 → leaky 0.5 → −3
      // o=0, r=1: 1·3 + 2·4 + 3·(−3) + 4·(−4) = −14 → −7
      // o=1, r=0: 5·1 + 6·2 + 7·(−1) + 8·(−2) = −6 → −3 ; o=1, r=1: 5·3+6·4−7·3−8·4 = −14 → −7
      expect(Array.from(out.y.data as Float32Array)).toEqual([-3, -7, -3, -7]);
    } finally {
      await session.release();
    }
  });
});
