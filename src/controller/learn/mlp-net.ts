/**
 * A trainable multilayer perceptron on typed arrays: dense layers, ReLU after every layer but the last
 * (linear outputs, one per action), He-initialised from a seed. The forward pass is the one of the
 * policy-file loader (`Mlp` in ../mlp.ts: y = W·x + b, W stored [outputs][inputs]), so a net exported
 * with {@link MlpNet.toDenseLayers} decides exactly as it did in training.
 *
 * All parameters live in one flat array (`params`; per layer W row-major then b) with a gradient of the
 * same layout (`grads`), so optimisers, target-network copies and worker snapshots are single
 * `set`/`slice` calls. Forward and backward allocate nothing.
 */
import { ValidationError, describeValue, mulberry32, type Rng } from '../../core/index.js';
import { Mlp, type DenseLayerJson } from '../mlp.js';

/** Float storage of a net: float32 (training, inference) or float64 (gradient checks). */
export type FloatArray = Float32Array | Float64Array;

/** Options of {@link MlpNet.create}. */
export interface MlpNetOptions {
  /** Seed of the He initialisation (default 1). */
  readonly seed?: number;
  /** Storage precision (default 'float32'). */
  readonly precision?: 'float32' | 'float64';
}

/** One standard normal sample (Box–Muller) from a uniform [0, 1) generator. */
export function gaussian(rng: Rng): number {
  const u1 = 1 - rng();
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Shortest decimal that reads back (via Math.fround) as the same float32 value: keeps policy files small and exact. */
export function shortestFloat32(x: number): number {
  for (let p = 1; p < 10; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x) return y;
  }
  return x;
}

/**
 * out = W·inp + b (then ReLU when `relu`), W at `wOff` row-major [out.length][inp.length], b at `bOff`.
 * Sums in input order from the bias, like the policy loader, so both give identical outputs.
 */
function dense(p: FloatArray, wOff: number, bOff: number, inp: FloatArray, out: FloatArray, relu: boolean): void {
  const nIn = inp.length;
  const nOut = out.length;
  for (let o = 0; o < nOut; o++) {
    let s = p[bOff + o];
    const row = wOff + o * nIn;
    let i = 0;
    for (; i + 3 < nIn; i += 4) {
      s += p[row + i] * inp[i];
      s += p[row + i + 1] * inp[i + 1];
      s += p[row + i + 2] * inp[i + 2];
      s += p[row + i + 3] * inp[i + 3];
    }
    for (; i < nIn; i++) s += p[row + i] * inp[i];
    out[o] = !relu || s > 0 ? s : 0;
  }
}

/**
 * Backward through one dense layer: adds δ·inpᵀ to dW and δ to db; when `prev` is given, sets it to
 * Wᵀ·δ masked by the ReLU of the layer below (its output `inp` is > 0 exactly where its pre-activation
 * was). Zero entries of δ are skipped.
 */
function denseBackward(p: FloatArray, g: FloatArray, wOff: number, bOff: number, inp: FloatArray, delta: FloatArray, prev: FloatArray | null): void {
  const nIn = inp.length;
  const nOut = delta.length;
  if (prev) prev.fill(0);
  for (let o = 0; o < nOut; o++) {
    const d = delta[o];
    if (d === 0) continue;
    g[bOff + o] += d;
    const row = wOff + o * nIn;
    if (prev) {
      for (let i = 0; i < nIn; i++) {
        g[row + i] += d * inp[i];
        prev[i] += p[row + i] * d;
      }
    } else {
      for (let i = 0; i < nIn; i++) g[row + i] += d * inp[i];
    }
  }
  if (prev) for (let i = 0; i < nIn; i++) if (!(inp[i] > 0)) prev[i] = 0;
}

function checkSizes(sizes: readonly number[]): void {
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new ValidationError(`mlp sizes: expected [inputs, …hidden, outputs] with at least 2 integers ≥ 1, got ${JSON.stringify(sizes)}`, { sizes });
  }
}

/** A trainable MLP (see the module comment for layout and conventions). */
export class MlpNet {
  /** Layer widths: [inputs, …hidden, outputs]. */
  readonly sizes: readonly number[];
  /** All weights and biases: for each layer, W ([outputs][inputs], row-major) then b. */
  readonly params: FloatArray;
  /** Gradient accumulator, same layout as `params`; `backward` adds to it, `zeroGrad` clears it. */
  readonly grads: FloatArray;
  readonly precision: 'float32' | 'float64';
  readonly #wOff: number[] = [];
  readonly #bOff: number[] = [];
  /** acts[0] = input, acts[l+1] = output of layer l (after ReLU for hidden layers). */
  readonly #acts: FloatArray[];
  /** deltas[l+1] = dLoss/d(pre-activation of layer l's output). */
  readonly #deltas: FloatArray[];

  private constructor(sizes: readonly number[], precision: 'float32' | 'float64') {
    checkSizes(sizes);
    this.sizes = Object.freeze([...sizes]);
    this.precision = precision;
    const alloc = (n: number): FloatArray => (precision === 'float64' ? new Float64Array(n) : new Float32Array(n));
    let n = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      this.#wOff.push(n);
      n += sizes[l] * sizes[l + 1];
      this.#bOff.push(n);
      n += sizes[l + 1];
    }
    this.params = alloc(n);
    this.grads = alloc(n);
    this.#acts = sizes.map((s) => alloc(s));
    this.#deltas = sizes.map((s) => alloc(s));
  }

  /** A new net with He-normal weights (std √(2/fan_in)) and zero biases, drawn from `seed`. */
  static create(sizes: readonly number[], options: MlpNetOptions = {}): MlpNet {
    const net = new MlpNet(sizes, options.precision ?? 'float32');
    const rng = mulberry32(options.seed ?? 1);
    for (let l = 0; l < net.layerCount; l++) {
      const inputs = sizes[l];
      const std = Math.sqrt(2 / inputs);
      const w = net.#wOff[l];
      for (let i = 0; i < inputs * sizes[l + 1]; i++) net.params[w + i] = gaussian(rng) * std;
    }
    return net;
  }

  /** A net with the given sizes and a flat parameter array of the `params` layout (e.g. a snapshot sent to a worker). */
  static fromParams(sizes: readonly number[], params: ArrayLike<number>, precision: 'float32' | 'float64' = 'float32'): MlpNet {
    const net = new MlpNet(sizes, precision);
    net.setParams(params);
    return net;
  }

  /**
   * A net from policy-file layers (`weights` of an `mlp` policy file, PyTorch nn.Linear layout), e.g. to
   * fine-tune an existing policy. Shapes are checked by the policy loader's rules (errors name `where`).
   */
  static fromDenseLayers(layers: readonly DenseLayerJson[], inputs: number, where = 'weights', precision: 'float32' | 'float64' = 'float32'): MlpNet {
    const checked = new Mlp(layers, inputs, where);
    const net = new MlpNet([inputs, ...layers.map((l) => l.weight.length)], precision);
    if (net.sizes[net.sizes.length - 1] !== checked.outputs) throw new ValidationError(`${where}: inconsistent output count`, { where });
    layers.forEach((layer, l) => {
      const n = net.sizes[l];
      layer.weight.forEach((row, o) => net.params.set(row, net.#wOff[l] + o * n));
      net.params.set(layer.bias, net.#bOff[l]);
    });
    return net;
  }

  /** Number of dense layers. */
  get layerCount(): number {
    return this.sizes.length - 1;
  }

  /** Input width. */
  get inputs(): number {
    return this.sizes[0];
  }

  /** Output width (one per action). */
  get outputs(): number {
    return this.sizes[this.sizes.length - 1];
  }

  /**
   * Forward pass of one sample read from `x` at `offset`. Returns the net's internal output buffer: valid
   * until the next forward call (copy it to keep it). Also records the activations `backward` needs.
   */
  forward(x: ArrayLike<number>, offset = 0): FloatArray {
    const a0 = this.#acts[0];
    const n0 = a0.length;
    if (offset < 0 || x.length < offset + n0) {
      throw new ValidationError(`mlp input: expected ${n0} values at offset ${offset}, got an array of ${x.length}`);
    }
    for (let i = 0; i < n0; i++) a0[i] = x[offset + i];
    const p = this.params;
    const last = this.layerCount - 1;
    for (let l = 0; l <= last; l++) dense(p, this.#wOff[l], this.#bOff[l], this.#acts[l], this.#acts[l + 1], l < last);
    return this.#acts[last + 1];
  }

  /** Forward pass of `count` samples stored back to back in `xs`; outputs back to back in `out`. */
  forwardBatch(xs: ArrayLike<number>, count: number, out: FloatArray): FloatArray {
    const nIn = this.inputs;
    const nOut = this.outputs;
    if (out.length < count * nOut) throw new ValidationError(`mlp forwardBatch out: expected ≥ ${count * nOut} values, got ${out.length}`);
    for (let s = 0; s < count; s++) out.set(this.forward(xs, s * nIn), s * nOut);
    return out;
  }

  /**
   * Backward pass for the sample of the last `forward` call: adds dLoss/dParams to `grads`, given
   * dLoss/dOutputs in `dOut` (length = outputs). Zero entries are skipped, so a loss on one output
   * (the chosen action's Q value) costs one row of the last layer.
   */
  backward(dOut: ArrayLike<number>): void {
    const L = this.layerCount;
    const top = this.#deltas[L];
    if (dOut.length !== top.length) throw new ValidationError(`mlp backward: expected ${top.length} output gradients, got ${dOut.length}`);
    for (let o = 0; o < top.length; o++) top[o] = dOut[o];
    this.#backwardFromTop();
  }

  /** {@link backward} with a gradient `g` on output `index` only. */
  backwardAt(index: number, g: number): void {
    const top = this.#deltas[this.layerCount];
    top.fill(0);
    top[index] = g;
    this.#backwardFromTop();
  }

  #backwardFromTop(): void {
    for (let l = this.layerCount - 1; l >= 0; l--) {
      denseBackward(this.params, this.grads, this.#wOff[l], this.#bOff[l], this.#acts[l], this.#deltas[l + 1], l > 0 ? this.#deltas[l] : null);
    }
  }

  /** Clears the gradient accumulator. */
  zeroGrad(): void {
    this.grads.fill(0);
  }

  /** Copies another net's parameters (same sizes), e.g. online → target network. */
  copyFrom(other: MlpNet): void {
    if (other.sizes.join(',') !== this.sizes.join(',')) {
      throw new ValidationError(`mlp copyFrom: expected sizes [${this.sizes.join(', ')}], got [${other.sizes.join(', ')}]`);
    }
    this.params.set(other.params);
  }

  /** A new net with the same sizes, precision and parameters (fresh gradient). */
  clone(): MlpNet {
    const n = new MlpNet(this.sizes, this.precision);
    n.params.set(this.params);
    return n;
  }

  /** Replaces all parameters from a flat array of the `params` layout (e.g. a snapshot from another thread). */
  setParams(flat: ArrayLike<number>): void {
    if (flat.length !== this.params.length) throw new ValidationError(`mlp params: expected ${this.params.length} values, got ${describeValue(flat)}`);
    this.params.set(flat);
  }

  /**
   * Policy-file layers: `[{weight: [outputs][inputs], bias: [outputs]}]` (PyTorch nn.Linear layout). Float32
   * values are written as the shortest decimals that read back to the same float32, so export → import is
   * exact and deterministic.
   */
  toDenseLayers(): DenseLayerJson[] {
    const fmt = this.precision === 'float32' ? shortestFloat32 : (x: number) => x;
    const layers: DenseLayerJson[] = [];
    for (let l = 0; l < this.layerCount; l++) {
      const nIn = this.sizes[l];
      const nOut = this.sizes[l + 1];
      const weight: number[][] = [];
      for (let o = 0; o < nOut; o++) {
        const row = this.#wOff[l] + o * nIn;
        weight.push(Array.from(this.params.subarray(row, row + nIn), fmt));
      }
      const b = this.#bOff[l];
      layers.push({ weight, bias: Array.from(this.params.subarray(b, b + nOut), fmt) });
    }
    return layers;
  }
}
