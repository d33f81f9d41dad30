// The occlusion-sensitivity map drawn over the crop in every pane: a tiny canvas (one pixel per grid
// cell) stretched over the crop with smooth scaling, so it moves with pan and zoom for free.
import { useEffect, useRef } from 'react';
import { heatColour } from './colormap';
import type { ViewerController } from './controller';
import type { OcclusionMap } from './types';
import { useControllerVersion } from './useControllerVersion';
import { imageToScreen } from './viewTransform';

export function OcclusionOverlay({ controller, map }: { controller: ViewerController; map: OcclusionMap }) {
  useControllerVersion(controller, ['view', 'image']);
  const dpr = window.devicePixelRatio || 1;
  return (
    <div className="occlusion-overlay" data-testid="occlusion-overlay">
      {controller.panes.map((pane) => {
        const size = { w: pane.rect.w, h: pane.rect.h };
        const a = imageToScreen(pane.view, size, map.crop.x, map.crop.y);
        const b = imageToScreen(pane.view, size, map.crop.x + map.crop.w, map.crop.y + map.crop.h);
        return (
          <div
            key={pane.id}
            className="occlusion-pane"
            style={{
              left: pane.rect.x / dpr,
              top: pane.rect.y / dpr,
              width: pane.rect.w / dpr,
              height: pane.rect.h / dpr,
            }}
          >
            <HeatCanvas
              map={map}
              style={{ left: a.x / dpr, top: a.y / dpr, width: (b.x - a.x) / dpr, height: (b.y - a.y) / dpr }}
            />
          </div>
        );
      })}
    </div>
  );
}

function HeatCanvas({ map, style }: { map: OcclusionMap; style: React.CSSProperties }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const img = ctx.createImageData(map.cols, map.rows);
    for (let i = 0; i < map.rows * map.cols; i++) {
      const [r, g, b, a] = heatColour(map.values[i] ?? 0);
      img.data.set([r, g, b, a], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }, [map]);
  return <canvas ref={ref} width={map.cols} height={map.rows} className="heat-canvas" style={style} />;
}
