// A small multilayer perceptron classifier (one ReLU hidden layer, softmax over KL 0-4) trained on
// frozen embeddings: standardised inputs, class-weighted cross-entropy (rare grades such as KL4 count
// as much as common ones), Adam, L2 weight decay, seeded initialisation and shuffling, and early
// stopping on a validation set with the best weights restored.
import { mulberry32, shuffleInPlace } from './rng';

export const CLASSES = 5;

export interface MlpWeights {
  inputDim: number;
  hidden: number;
  /** Standardisation fitted on the training set. */
  mean: number[];
  std: number[];
  w1: number[]; // hidden x inputDim
  b1: number[];
  w2: number[]; // CLASSES x hidden
  b2: number[];
}

export interface TrainOptions {
  hidden: number;
  seed: number;
  maxEpochs: number;
  patience: number;
  lr: number;
  weightDecay: number;
  batchSize: number;
}

export const DEFAULT_TRAIN: TrainOptions = {
  hidden: 64,
  seed: 42,
  maxEpochs: 300,
  patience: 20,
  lr: 3e-3,
  weightDecay: 1e-4,
  batchSize: 32,
};

export interface TrainReport {
  epochs: number;
  bestEpoch: number;
  bestValLoss: number;
  classWeights: number[];
}

/** Weights n / (K * n_k) over the classes present; an absent class gets 0. */
export function classWeights(y: readonly number[]): number[] {
  const counts = new Array<number>(CLASSES).fill(0);
  for (const g of y) counts[g]!++;
  const present = counts.filter((c) => c > 0).length;
  return counts.map((c) => (c > 0 ? y.length / (present * c) : 0));
}

function standardiser(x: readonly Float32Array[], dim: number): { mean: number[]; std: number[] } {
  const mean = new Array<number>(dim).fill(0);
  const sq = new Array<number>(dim).fill(0);
  for (const v of x) for (let d = 0; d < dim; d++) mean[d]! += v[d]! / x.length;
  for (const v of x) for (let d = 0; d < dim; d++) sq[d]! += (v[d]! - mean[d]!) ** 2 / x.length;
  return { mean, std: sq.map((s) => Math.sqrt(s) || 1) };
}

/** Softmax probabilities for one embedding. */
export function mlpPredict(w: MlpWeights, v: Float32Array): number[] {
  if (v.length !== w.inputDim)
    throw new Error(`embedding has ${v.length} values, the head expects ${w.inputDim}`);
  const xs = new Float64Array(w.inputDim);
  for (let d = 0; d < w.inputDim; d++) xs[d] = (v[d]! - w.mean[d]!) / w.std[d]!;
  const h = new Float64Array(w.hidden);
  for (let j = 0; j < w.hidden; j++) {
    let s = w.b1[j]!;
    const row = j * w.inputDim;
    for (let d = 0; d < w.inputDim; d++) s += w.w1[row + d]! * xs[d]!;
    h[j] = s > 0 ? s : 0;
  }
  const z = new Float64Array(CLASSES);
  for (let k = 0; k < CLASSES; k++) {
    let s = w.b2[k]!;
    for (let j = 0; j < w.hidden; j++) s += w.w2[k * w.hidden + j]! * h[j]!;
    z[k] = s;
  }
  const m = Math.max(...z);
  const e = Array.from(z, (v2) => Math.exp(v2 - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v2) => v2 / sum);
}

interface Params {
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

/** Train on (xTrain, yTrain), early-stop on (xVal, yVal). */
export function trainMlp(
  xTrain: readonly Float32Array[],
  yTrain: readonly number[],
  xVal: readonly Float32Array[],
  yVal: readonly number[],
  opts: TrainOptions = DEFAULT_TRAIN,
): { weights: MlpWeights; report: TrainReport } {
  if (xTrain.length === 0) throw new Error('no training examples');
  const dim = xTrain[0]!.length;
  const H = opts.hidden;
  const rand = mulberry32(opts.seed);
  const { mean, std } = standardiser(xTrain, dim);
  const norm = (x: readonly Float32Array[]) =>
    x.map((v) => {
      const o = new Float64Array(dim);
      for (let d = 0; d < dim; d++) o[d] = (v[d]! - mean[d]!) / std[d]!;
      return o;
    });
  const xt = norm(xTrain);
  const xv = norm(xVal);
  const cw = classWeights(yTrain);

  // He-uniform initialisation for the ReLU layer, Glorot-uniform for the output layer.
  const p: Params = {
    w1: new Float64Array(H * dim),
    b1: new Float64Array(H),
    w2: new Float64Array(CLASSES * H),
    b2: new Float64Array(CLASSES),
  };
  const a1 = Math.sqrt(6 / dim);
  for (let i = 0; i < p.w1.length; i++) p.w1[i] = (rand() * 2 - 1) * a1;
  const a2 = Math.sqrt(6 / (H + CLASSES));
  for (let i = 0; i < p.w2.length; i++) p.w2[i] = (rand() * 2 - 1) * a2;

  const keys = ['w1', 'b1', 'w2', 'b2'] as const;
  const m = Object.fromEntries(keys.map((k) => [k, new Float64Array(p[k].length)])) as unknown as Params;
  const v = Object.fromEntries(keys.map((k) => [k, new Float64Array(p[k].length)])) as unknown as Params;
  const g = Object.fromEntries(keys.map((k) => [k, new Float64Array(p[k].length)])) as unknown as Params;
  const beta1 = 0.9;
  const beta2 = 0.999;
  let step = 0;

  const h = new Float64Array(H);
  const z = new Float64Array(CLASSES);
  const dz = new Float64Array(CLASSES);
  const dh = new Float64Array(H);

  const forward = (x: Float64Array): void => {
    for (let j = 0; j < H; j++) {
      let s = p.b1[j]!;
      const row = j * dim;
      for (let d = 0; d < dim; d++) s += p.w1[row + d]! * x[d]!;
      h[j] = s > 0 ? s : 0;
    }
    let mx = -Infinity;
    for (let k = 0; k < CLASSES; k++) {
      let s = p.b2[k]!;
      for (let j = 0; j < H; j++) s += p.w2[k * H + j]! * h[j]!;
      z[k] = s;
      if (s > mx) mx = s;
    }
    let sum = 0;
    for (let k = 0; k < CLASSES; k++) {
      z[k] = Math.exp(z[k]! - mx);
      sum += z[k]!;
    }
    for (let k = 0; k < CLASSES; k++) z[k] = z[k]! / sum;
  };

  const weightedLoss = (x: Float64Array[], y: readonly number[]): number => {
    let loss = 0;
    let wsum = 0;
    for (let i = 0; i < x.length; i++) {
      forward(x[i]!);
      const w = cw[y[i]!] || 1;
      loss += -w * Math.log(Math.max(z[y[i]!]!, 1e-12));
      wsum += w;
    }
    return wsum > 0 ? loss / wsum : 0;
  };

  let best = { loss: Infinity, epoch: -1, params: cloneParams(p) };
  const order = xt.map((_, i) => i);
  let epoch = 0;
  for (; epoch < opts.maxEpochs; epoch++) {
    shuffleInPlace(order, rand);
    for (let s0 = 0; s0 < order.length; s0 += opts.batchSize) {
      const batch = order.slice(s0, s0 + opts.batchSize);
      for (const k of keys) g[k].fill(0);
      let wsum = 0;
      for (const i of batch) {
        const x = xt[i]!;
        const y = yTrain[i]!;
        const w = cw[y]!;
        wsum += w;
        forward(x);
        // dL/dz = w * (softmax - onehot)
        for (let k = 0; k < CLASSES; k++) dz[k] = w * (z[k]! - (k === y ? 1 : 0));
        dh.fill(0);
        for (let k = 0; k < CLASSES; k++) {
          g.b2[k]! += dz[k]!;
          for (let j = 0; j < H; j++) {
            g.w2[k * H + j]! += dz[k]! * h[j]!;
            dh[j]! += dz[k]! * p.w2[k * H + j]!;
          }
        }
        for (let j = 0; j < H; j++) {
          if (h[j]! <= 0) continue;
          const d1 = dh[j]!;
          g.b1[j]! += d1;
          const row = j * dim;
          for (let d = 0; d < dim; d++) g.w1[row + d]! += d1 * x[d]!;
        }
      }
      if (wsum === 0) continue;
      step++;
      const lrT = (opts.lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
      for (const k of keys) {
        const pk = p[k];
        const gk = g[k];
        const mk = m[k];
        const vk = v[k];
        const decay = k === 'w1' || k === 'w2' ? opts.weightDecay : 0;
        for (let i = 0; i < pk.length; i++) {
          const grad = gk[i]! / wsum + decay * pk[i]!;
          mk[i] = beta1 * mk[i]! + (1 - beta1) * grad;
          vk[i] = beta2 * vk[i]! + (1 - beta2) * grad * grad;
          pk[i] = pk[i]! - (lrT * mk[i]!) / (Math.sqrt(vk[i]!) + 1e-8);
        }
      }
    }
    const valLoss = xv.length > 0 ? weightedLoss(xv, yVal) : weightedLoss(xt, yTrain);
    if (valLoss < best.loss - 1e-6) best = { loss: valLoss, epoch, params: cloneParams(p) };
    else if (epoch - best.epoch >= opts.patience) {
      epoch++;
      break;
    }
  }
  const bp = best.params;
  return {
    weights: {
      inputDim: dim,
      hidden: H,
      mean,
      std,
      w1: Array.from(bp.w1),
      b1: Array.from(bp.b1),
      w2: Array.from(bp.w2),
      b2: Array.from(bp.b2),
    },
    report: { epochs: epoch, bestEpoch: best.epoch, bestValLoss: best.loss, classWeights: cw },
  };
}

function cloneParams(p: Params): Params {
  return { w1: p.w1.slice(), b1: p.b1.slice(), w2: p.w2.slice(), b2: p.b2.slice() };
}
