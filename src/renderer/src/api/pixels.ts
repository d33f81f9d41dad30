// Adapting the contract's ImagePixels to what the viewer paints.
import { pixelsAsUint16, type ImagePixels } from '../../../shared/contract';
import type { ViewerPixels } from '../features/viewer/types';

export function toViewerPixels(p: ImagePixels): ViewerPixels {
  const data = pixelsAsUint16(p);
  if (data.length < p.rows * p.columns) {
    throw new Error(`image ${p.imageId}: ${data.length} pixel values for ${p.columns}×${p.rows}`);
  }
  return {
    width: p.columns,
    height: p.rows,
    data,
    slope: p.scale,
    intercept: p.offset,
    min: p.min,
    max: p.max,
    windows: p.windows.map((w) => ({ center: w.center, width: w.width, label: w.explanation })),
    voiFunction: 'LINEAR',
    invert: p.invert,
  };
}
