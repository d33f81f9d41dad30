// Where to go after a grade: in a session the next ungraded knee in reading order (wrapping round to
// any skipped earlier), in a plain list simply the next one.

/** Index of the next knee without a grade after `from`, wrapping; null when every knee is graded. */
export function nextUngraded(
  order: readonly number[],
  graded: ReadonlySet<number>,
  from: number,
): number | null {
  const n = order.length;
  for (let step = 1; step <= n; step++) {
    const i = (from + step) % n;
    const id = order[i];
    if (id !== undefined && !graded.has(id)) return i;
  }
  return null;
}

/** The first ungraded index (where a resumed session starts), or null. */
export function firstUngraded(order: readonly number[], graded: ReadonlySet<number>): number | null {
  return order.length === 0 ? null : nextUngraded(order, graded, order.length - 1);
}

/** Index of the knees to prefetch around `index` (next first: it is the likeliest). */
export function prefetchTargets(
  order: readonly number[],
  graded: ReadonlySet<number>,
  index: number,
  inSession: boolean,
): number[] {
  const out: number[] = [];
  const next = inSession ? nextUngraded(order, graded, index) : index + 1 < order.length ? index + 1 : null;
  if (next !== null && next !== index) out.push(next);
  if (index + 1 < order.length && !out.includes(index + 1) && index + 1 !== index) out.push(index + 1);
  if (index - 1 >= 0) out.push(index - 1);
  return out;
}
