// Number formatting for the report tables.
import type { AgreementStat } from '../../../../shared/contract';

export function fmtStat(s: AgreementStat, digits = 2): string {
  if (s.value === null) return '—';
  const v = s.value.toFixed(digits);
  if (s.ciLow === null || s.ciHigh === null) return v;
  return `${v} [${s.ciLow.toFixed(digits)}, ${s.ciHigh.toFixed(digits)}]`;
}

export function fmtPct(v: number | null): string {
  return v === null ? '—' : `${(v * 100).toFixed(1)} %`;
}

export function fmtNum(v: number | null, digits = 2): string {
  return v === null ? '—' : v.toFixed(digits);
}

/** 'reader:Dr A' -> 'Dr A', 'model:resnet18-kl' -> 'resnet18-kl (model)'. */
export function raterLabel(key: string): string {
  const i = key.indexOf(':');
  if (i < 0) return key;
  const kind = key.slice(0, i);
  const name = key.slice(i + 1);
  return kind === 'model' ? `${name} (model)` : name;
}

/** Background for a heatmap cell: share 0..1 of its row -> a blue of that strength. */
export function heatBackground(share: number): string {
  const t = Math.max(0, Math.min(1, share));
  return `rgba(64, 156, 255, ${(0.08 + 0.82 * t).toFixed(3)})`;
}
