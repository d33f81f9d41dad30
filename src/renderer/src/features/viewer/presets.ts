// Window presets offered for an image: the DICOM's own windows first (the modality's intent), then
// an automatic window from the histogram (robust to collimator edges and burned-in labels), then
// the full range.
import type { ViewerPixels, WindowSetting } from './types';

/** Sample at most this many pixels for the percentile window: cheap on a 5-megapixel film. */
const SAMPLE_TARGET = 65_536;

// Presets are computed once per image: the toolbar asks on every frame of a window drag.
const memo = new WeakMap<ViewerPixels, WindowSetting[]>();

export function windowPresets(px: ViewerPixels): WindowSetting[] {
  const hit = memo.get(px);
  if (hit) return hit;
  const presets = computePresets(px);
  memo.set(px, presets);
  return presets;
}

function computePresets(px: ViewerPixels): WindowSetting[] {
  const presets: WindowSetting[] = px.windows.map((w, i) => ({
    center: w.center,
    width: w.width,
    label: w.label ? `DICOM: ${w.label}` : `DICOM ${i + 1}`,
  }));
  const auto = percentileWindow(px, 0.01, 0.995);
  if (auto) presets.push({ ...auto, label: 'Auto (1–99.5 %)' });
  presets.push(fullRangeWindow(px));
  return presets;
}

export function fullRangeWindow(px: ViewerPixels): WindowSetting {
  const width = Math.max(1, px.max - px.min + 1);
  return { center: px.min + width / 2, width, label: 'Full range' };
}

/** The initial window: the first DICOM window, else the automatic one, else the full range. */
export function defaultWindow(px: ViewerPixels): WindowSetting {
  return windowPresets(px)[0] ?? fullRangeWindow(px);
}

/** A window spanning the [lo, hi] quantiles of a strided sample of modality values. */
export function percentileWindow(px: ViewerPixels, lo: number, hi: number): WindowSetting | null {
  const n = px.width * px.height;
  if (n === 0) return null;
  const stride = Math.max(1, Math.floor(n / SAMPLE_TARGET));
  const sample = new Float64Array(Math.ceil(n / stride));
  let k = 0;
  for (let i = 0; i < n; i += stride) sample[k++] = (px.data[i] ?? 0) * px.slope + px.intercept;
  const s = sample.subarray(0, k).sort();
  const a = s[Math.floor(lo * (k - 1))] ?? 0;
  const b = s[Math.ceil(hi * (k - 1))] ?? 0;
  if (!(b > a)) return null;
  return { center: (a + b) / 2, width: b - a };
}
