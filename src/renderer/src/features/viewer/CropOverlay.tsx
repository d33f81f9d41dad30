// The models' input crop drawn as an outline on each pane. When editable, drag inside to move it or a
// corner to resize it (kept square); releasing commits it (the models then re-run on the new crop).
import { useRef, useState } from 'react';
import type { ViewerController } from './controller';
import { dragCrop, roundCrop, type CropHandle } from './cropEdit';
import type { Pane, Rect } from './types';
import { useControllerVersion } from './useControllerVersion';
import { imageToScreen } from './viewTransform';

interface Props {
  controller: ViewerController;
  editable: boolean;
  onCommit: (crop: Rect) => void;
}

const HANDLES: CropHandle[] = ['nw', 'ne', 'sw', 'se'];

export function CropOverlay({ controller, editable, onCommit }: Props) {
  useControllerVersion(controller, ['view', 'image']);
  const [draft, setDraft] = useState<Rect | null>(null);
  const drag = useRef<{ handle: CropHandle; pane: Pane; x: number; y: number; start: Rect } | null>(null);
  const crop = draft ?? controller.crop;
  const px = controller.pixels;
  if (!crop || !px) return null;
  const dpr = window.devicePixelRatio || 1;

  const begin = (e: React.PointerEvent, handle: CropHandle, pane: Pane) => {
    if (!editable || e.button !== 0 || !controller.crop) return;
    e.stopPropagation();
    e.preventDefault();
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    drag.current = { handle, pane, x: e.clientX, y: e.clientY, start: { ...controller.crop } };
  };
  const move = (e: React.PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const k = dpr / d.pane.view.zoom; // CSS px -> image px
    setDraft(
      dragCrop(d.start, d.handle, (e.clientX - d.x) * k, (e.clientY - d.y) * k, {
        w: px.width,
        h: px.height,
      }),
    );
  };
  const end = () => {
    const d = drag.current;
    drag.current = null;
    if (!d || !draft) return setDraft(null);
    const committed = roundCrop(draft);
    setDraft(null);
    controller.setCrop(committed);
    onCommit(committed);
  };

  return (
    <svg className="crop-overlay" data-testid="crop-overlay" width="100%" height="100%">
      {controller.panes.map((pane) => {
        const size = { w: pane.rect.w, h: pane.rect.h };
        const a = imageToScreen(pane.view, size, crop.x, crop.y);
        const b = imageToScreen(pane.view, size, crop.x + crop.w, crop.y + crop.h);
        const x = a.x / dpr;
        const y = a.y / dpr;
        const w = (b.x - a.x) / dpr;
        const h = (b.y - a.y) / dpr;
        const corners: Record<CropHandle, [number, number]> = {
          move: [x, y],
          nw: [x, y],
          ne: [x + w, y],
          sw: [x, y + h],
          se: [x + w, y + h],
        };
        return (
          <svg
            key={pane.id}
            x={pane.rect.x / dpr}
            y={pane.rect.y / dpr}
            width={pane.rect.w / dpr}
            height={pane.rect.h / dpr}
            overflow="hidden"
          >
            <rect
              className={`crop-outline${draft ? ' crop-outline--draft' : ''}`}
              x={x}
              y={y}
              width={Math.max(w, 0)}
              height={Math.max(h, 0)}
            />
            {editable && (
              // Only the border (a wide invisible stroke) moves the crop: a drag inside it is still
              // window/level, which the reader does far more often.
              <rect
                className="crop-border-hit"
                data-crop-handle="move"
                x={x}
                y={y}
                width={Math.max(w, 0)}
                height={Math.max(h, 0)}
                onPointerDown={(e) => begin(e, 'move', pane)}
                onPointerMove={move}
                onPointerUp={end}
                onPointerCancel={end}
              />
            )}
            {editable &&
              HANDLES.map((hd) => (
                <rect
                  key={hd}
                  className={`crop-handle crop-handle--${hd}`}
                  data-crop-handle={hd}
                  x={corners[hd][0] - 5}
                  y={corners[hd][1] - 5}
                  width={10}
                  height={10}
                  onPointerDown={(e) => begin(e, hd, pane)}
                  onPointerMove={move}
                  onPointerUp={end}
                  onPointerCancel={end}
                />
              ))}
          </svg>
        );
      })}
    </svg>
  );
}
