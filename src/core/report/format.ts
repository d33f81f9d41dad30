// Number formatting shared by the text, CSV and HTML renderers, so they never disagree.
import type { Estimate } from '../stats';
import type { CellFormat } from './types';

export const NA = 'n/a';

export function formatNumber(v: number | null, format: CellFormat): string {
  if (v === null) return NA;
  if (format === 'count') return String(Math.round(v));
  return v.toFixed(3);
}

/** "0.812 [0.781, 0.840]", or the value alone when there is no interval (brackets read well with negatives). */
export function formatEstimate(e: Estimate, format: CellFormat, withCi = true): string {
  const v = formatNumber(e.value, format);
  if (!withCi || e.lo === null || e.hi === null || format === 'count') return v;
  return `${v} [${formatNumber(e.lo, format)}, ${formatNumber(e.hi, format)}]`;
}
