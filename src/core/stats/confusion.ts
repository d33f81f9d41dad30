// Two-rater confusion matrices over the knees both graded.
import { MISSING, N_GRADES } from './ratings';

/**
 * 5x5 confusion matrix, row-major Float64Array(25): rows = `ref` (e.g. the reference standard),
 * columns = `rater`. Knees where either grade is missing are left out (count them with `pairedCount`).
 */
export function confusionMatrix(ref: ArrayLike<number>, rater: ArrayLike<number>): Float64Array {
  if (ref.length !== rater.length)
    throw new Error(`confusionMatrix: ${ref.length} vs ${rater.length} grades`);
  const m = new Float64Array(N_GRADES * N_GRADES);
  for (let k = 0; k < ref.length; k++) {
    const a = ref[k]!;
    const b = rater[k]!;
    if (a === MISSING || b === MISSING) continue;
    m[a * N_GRADES + b]! += 1;
  }
  return m;
}

/** The matrix as rows of plain numbers (for JSON and renderers). */
export function toRows(m: Float64Array, size = N_GRADES): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < size; i++) rows.push(Array.from(m.subarray(i * size, (i + 1) * size)));
  return rows;
}
