// Cluster (patient) bootstrap for any statistic that is a function of a sum of per-patient contributions.
//
// A "target" is a statistic whose input is a small vector (a 25-cell confusion matrix, a coincidence
// matrix, Fleiss' counts) that is a sum over patients. Each patient's contribution is precomputed once
// as sparse (patient, cell, value) entries, so one resample costs O(entries) — at most a few per knee —
// plus O(cells) to evaluate, instead of re-reading every knee. All targets share the same resampled
// patients in a resample, which is exactly what a paired comparison needs.
import { Rng } from './rng';

export interface BootstrapTarget {
  /** Length of the accumulated input vector. */
  cells: number;
  /** Sparse per-patient contributions (parallel arrays, one entry per patient x cell). */
  cluster: Int32Array;
  cell: Int32Array;
  value: Float64Array;
  /** Number of values `evaluate` writes. */
  outputs: number;
  /** The statistic(s) from the accumulated input vector. */
  evaluate(acc: Float64Array, out: Float64Array, outOff: number): void;
}

export interface BootstrapOptions {
  /** Number of resamples (0 = point estimates only). */
  resamples: number;
  seed: number;
  /** Two-sided coverage of the percentile interval, e.g. 0.95. */
  confidence: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 2000, seed: 20240601, confidence: 0.95 };

export interface Interval {
  lo: number;
  hi: number;
  /** Resamples in which the statistic was defined (e.g. a kappa is undefined if one grade fills a resample). */
  defined: number;
}

export interface BootstrapRun {
  /** Per target: the statistic on the original data. */
  point: Float64Array[];
  /** Per target: resamples x outputs, row-major. */
  samples: Float64Array[];
  resamples: number;
}

/** Collects (patient, cell) -> value, merging repeats, then packs into a target's sparse arrays. */
export class SparseBuilder {
  private readonly map = new Map<number, number>();
  constructor(readonly cells: number) {}

  add(cluster: number, cell: number, value: number): void {
    if (value === 0) return;
    const key = cluster * this.cells + cell;
    this.map.set(key, (this.map.get(key) ?? 0) + value);
  }

  pack(): Pick<BootstrapTarget, 'cluster' | 'cell' | 'value'> {
    const keys = [...this.map.keys()].sort((a, b) => a - b);
    const cluster = new Int32Array(keys.length);
    const cell = new Int32Array(keys.length);
    const value = new Float64Array(keys.length);
    keys.forEach((key, e) => {
      cluster[e] = Math.floor(key / this.cells);
      cell[e] = key % this.cells;
      value[e] = this.map.get(key)!;
    });
    return { cluster, cell, value };
  }
}

function accumulate(t: BootstrapTarget, w: Int32Array | null, acc: Float64Array): void {
  acc.fill(0);
  const { cluster, cell, value } = t;
  const n = cluster.length;
  if (w === null) {
    for (let e = 0; e < n; e++) acc[cell[e]!]! += value[e]!;
  } else {
    // Branch-free: about a third of the patients are not drawn, and a "skip if 0" test mispredicts.
    for (let e = 0; e < n; e++) acc[cell[e]!]! += w[cluster[e]!]! * value[e]!;
  }
}

/**
 * Many patients contribute exactly the same thing (e.g. both knees in the KL2/KL2 cell of a confusion
 * matrix): group patients by their whole contribution ("pattern"), accumulate one weight per pattern,
 * and expand the few patterns into cells afterwards. For a confusion matrix this turns ~2 entries per
 * patient into 1, with at most a few hundred patterns to expand. Returns the target unchanged when
 * grouping would not save work. The statistic is the same; only the summation order changes.
 */
export function compressByPattern(t: BootstrapTarget): BootstrapTarget {
  const n = t.cluster.length;
  if (n === 0) return t;
  const patternOf = new Map<string, number>();
  const patterns: { cell: number[]; value: number[] }[] = [];
  const clusters: number[] = [];
  const ids: number[] = [];
  for (let start = 0; start < n;) {
    let end = start;
    while (end < n && t.cluster[end] === t.cluster[start]) end++;
    let key = '';
    for (let e = start; e < end; e++) key += `${t.cell[e]}:${t.value[e]};`;
    let id = patternOf.get(key);
    if (id === undefined) {
      id = patterns.length;
      patternOf.set(key, id);
      patterns.push({
        cell: Array.from(t.cell.subarray(start, end)),
        value: Array.from(t.value.subarray(start, end)),
      });
    }
    clusters.push(t.cluster[start]!);
    ids.push(id);
    start = end;
  }
  const expandCost = patterns.reduce((s, p) => s + p.cell.length, 0);
  if (clusters.length + expandCost >= n * 0.85) return t;
  const pCell: number[] = [];
  const pValue: number[] = [];
  const pStart = new Int32Array(patterns.length + 1);
  patterns.forEach((p, i) => {
    pStart[i] = pCell.length;
    pCell.push(...p.cell);
    pValue.push(...p.value);
  });
  pStart[patterns.length] = pCell.length;
  const cellOf = Int32Array.from(pCell);
  const valueOf = Float64Array.from(pValue);
  const expanded = new Float64Array(t.cells);
  return {
    cells: patterns.length,
    cluster: Int32Array.from(clusters),
    cell: Int32Array.from(ids),
    value: new Float64Array(clusters.length).fill(1),
    outputs: t.outputs,
    evaluate(acc, out, off) {
      expanded.fill(0);
      for (let p = 0; p < patterns.length; p++) {
        const w = acc[p]!;
        if (w === 0) continue;
        for (let e = pStart[p]!; e < pStart[p + 1]!; e++) expanded[cellOf[e]!]! += w * valueOf[e]!;
      }
      t.evaluate(expanded, out, off);
    },
  };
}

/**
 * Targets that read the same patients in the same order with unit values (typically the compressed
 * rater-vs-reference matrices, one entry per patient) are accumulated in one pass: each patient's
 * weight is read once and added to every target's cell. Returns the fused groups and the rest.
 */
interface FusedGroup {
  members: number[];
  cluster: Int32Array;
  /** entries x members, row-major: the member's cell, offset into the shared accumulator. */
  cells: Int32Array;
  offsets: number[];
  acc: Float64Array;
}

function sameArray(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function fuse(targets: BootstrapTarget[]): { groups: FusedGroup[]; single: number[] } {
  const unit = (t: BootstrapTarget): boolean => t.value.every((v) => v === 1);
  const groups: number[][] = [];
  const single: number[] = [];
  targets.forEach((t, i) => {
    if (!unit(t) || t.cluster.length === 0) return single.push(i);
    // one entry per patient (strictly increasing clusters) keeps the fused layout simple
    for (let e = 1; e < t.cluster.length; e++) if (t.cluster[e]! <= t.cluster[e - 1]!) return single.push(i);
    const g = groups.find((m) => sameArray(targets[m[0]!]!.cluster, t.cluster));
    if (g) g.push(i);
    else groups.push([i]);
  });
  const fused: FusedGroup[] = [];
  for (const members of groups) {
    if (members.length < 2) {
      single.push(...members);
      continue;
    }
    const n = targets[members[0]!]!.cluster.length;
    const T = members.length;
    const offsets: number[] = [];
    let size = 0;
    for (const m of members) {
      offsets.push(size);
      size += targets[m]!.cells;
    }
    const cells = new Int32Array(n * T);
    members.forEach((m, j) => {
      const c = targets[m]!.cell;
      for (let e = 0; e < n; e++) cells[e * T + j] = offsets[j]! + c[e]!;
    });
    fused.push({
      members,
      cluster: targets[members[0]!]!.cluster,
      cells,
      offsets,
      acc: new Float64Array(size),
    });
  }
  return { groups: fused, single };
}

/**
 * Resample the `nClusters` patients with replacement `resamples` times (seeded) and evaluate every
 * target on each resample.
 */
export function runBootstrap(
  nClusters: number,
  targetsIn: BootstrapTarget[],
  opts: BootstrapOptions,
): BootstrapRun {
  const targets = targetsIn.map(compressByPattern);
  const accs = targets.map((t) => new Float64Array(t.cells));
  const point = targets.map((t, i) => {
    const out = new Float64Array(t.outputs);
    accumulate(t, null, accs[i]!);
    t.evaluate(accs[i]!, out, 0);
    return out;
  });
  const B = nClusters > 0 ? Math.max(0, Math.floor(opts.resamples)) : 0;
  const samples = targets.map((t) => new Float64Array(B * t.outputs));
  const { groups, single } = fuse(targets);
  const rng = new Rng(opts.seed);
  const w = new Int32Array(nClusters);
  for (let b = 0; b < B; b++) {
    w.fill(0);
    for (let i = 0; i < nClusters; i++) w[rng.int(nClusters)]! += 1;
    for (const g of groups) {
      const { cluster, cells, acc } = g;
      const T = g.members.length;
      const n = cluster.length;
      acc.fill(0);
      for (let e = 0, base = 0; e < n; e++, base += T) {
        const wp = w[cluster[e]!]!;
        for (let j = 0; j < T; j++) acc[cells[base + j]!]! += wp;
      }
      g.members.forEach((m, j) => {
        const target = targets[m]!;
        const view = acc.subarray(g.offsets[j]!, g.offsets[j]! + target.cells);
        target.evaluate(view, samples[m]!, b * target.outputs);
      });
    }
    for (const t of single) {
      const target = targets[t]!;
      accumulate(target, w, accs[t]!);
      target.evaluate(accs[t]!, samples[t]!, b * target.outputs);
    }
  }
  return { point, samples, resamples: B };
}

/** Type-7 (linear interpolation) quantile of an ascending-sorted array. */
export function quantileSorted(x: ArrayLike<number>, p: number): number {
  const m = x.length;
  if (m === 0) return NaN;
  const h = (m - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(m - 1, lo + 1);
  return x[lo]! + (h - lo) * (x[hi]! - x[lo]!);
}

/** Percentile interval of output `j` of a target's samples, over the resamples where it is defined. */
export function percentileInterval(
  samples: Float64Array,
  outputs: number,
  j: number,
  confidence: number,
): Interval {
  const B = samples.length / outputs;
  const vals = new Float64Array(B);
  let m = 0;
  for (let b = 0; b < B; b++) {
    const v = samples[b * outputs + j]!;
    if (Number.isFinite(v)) vals[m++] = v;
  }
  const sorted = vals.subarray(0, m).sort(); // typed-array sort is numeric
  const alpha = (1 - confidence) / 2;
  return { lo: quantileSorted(sorted, alpha), hi: quantileSorted(sorted, 1 - alpha), defined: m };
}

/**
 * Two-sided bootstrap p-value for "the statistic is 0" (used for paired differences): twice the smaller
 * share of defined resamples on either side of 0, capped at 1.
 */
export function bootstrapPValue(samples: Float64Array, outputs: number, j: number): number {
  const B = samples.length / outputs;
  let le = 0;
  let ge = 0;
  let n = 0;
  for (let b = 0; b < B; b++) {
    const v = samples[b * outputs + j]!;
    if (!Number.isFinite(v)) continue;
    n++;
    if (v <= 0) le++;
    if (v >= 0) ge++;
  }
  if (n === 0) return NaN;
  return Math.min(1, (2 * Math.min(le, ge)) / n);
}
