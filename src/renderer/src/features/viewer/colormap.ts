// Heat colours for the occlusion map: transparent-ish blue (no effect) to opaque red (large effect).

/** RGBA 0..255 for importance v in 0..1. */
export function heatColour(v: number): [number, number, number, number] {
  const t = Math.min(1, Math.max(0, v));
  // A short "turbo"-like ramp: blue -> cyan -> yellow -> red.
  const stops: [number, number, number][] = [
    [48, 18, 59],
    [40, 160, 220],
    [250, 220, 40],
    [220, 30, 20],
  ];
  const f = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(f));
  const u = f - i;
  const a = stops[i] as [number, number, number];
  const b = stops[i + 1] as [number, number, number];
  const mix = (k: 0 | 1 | 2) => Math.round(a[k] + (b[k] - a[k]) * u);
  return [mix(0), mix(1), mix(2), Math.round(40 + 170 * t)];
}
