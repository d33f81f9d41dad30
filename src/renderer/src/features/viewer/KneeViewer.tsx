// The viewer: whole film and knee crop side by side in one WebGL2 canvas, with the models' crop as a
// draggable outline and an optional occlusion overlay.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ViewerController } from './controller';
import { CropOverlay } from './CropOverlay';
import { OcclusionOverlay } from './OcclusionOverlay';
import type { OcclusionMap, Rect, ViewerPixels } from './types';
import { usePointerTools } from './usePointerTools';
import { useViewerKeys } from './useViewerKeys';
import { ViewerToolbar } from './ViewerToolbar';

export interface KneeViewerProps {
  kneeId: number;
  imageId: number;
  side: 'L' | 'R';
  pixels: ViewerPixels | null;
  /** Why the pixels could not be loaded, shown in place of the image. */
  loadError: string | null;
  crop: Rect | null;
  /** False when the image is itself a knee crop: one pane. */
  showFilm: boolean;
  cropEditable: boolean;
  onCropCommit: (crop: Rect) => void;
  occlusion: OcclusionMap | null;
  occlusionAvailable: boolean;
  occlusionBusy: boolean;
  onToggleOcclusion: () => void;
  /** Films of the knees likely next (prefetched): uploaded to the GPU in idle time. */
  upcoming: readonly ViewerPixels[];
}

export function KneeViewer(props: KneeViewerProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [stage, setStage] = useState<HTMLDivElement | null>(null);
  const [controller, setController] = useState<ViewerController | null>(null);
  const [initError, setInitError] = useState<string | null>(null);
  const [showCrop, setShowCrop] = useState(true);

  // One controller (one GL context) for the viewer's lifetime: switching knees only swaps textures.
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    try {
      const forceCanvas2d = new URLSearchParams(window.location.search).has('canvas2d');
      const c = new ViewerController(canvas, forceCanvas2d);
      setController(c);
      return () => c.dispose();
    } catch (e) {
      setInitError((e as Error).message);
    }
  }, []);

  // Keep the canvas backing store at device resolution.
  useEffect(() => {
    if (!stage || !controller) return;
    const apply = () => {
      const dpr = window.devicePixelRatio || 1;
      controller.resize({ w: stage.clientWidth * dpr, h: stage.clientHeight * dpr });
    };
    apply();
    const ro = new ResizeObserver(apply);
    ro.observe(stage);
    return () => ro.disconnect();
  }, [stage, controller]);

  const { pixels, crop, showFilm, kneeId, imageId } = props;
  useEffect(() => {
    if (!controller || !pixels) return;
    try {
      controller.setImage(pixels, crop, showFilm, imageId, kneeId);
      controller.renderNow(); // paint in this task: no frame of the previous knee after a grade key
    } catch (e) {
      setInitError((e as Error).message);
    }
    // The crop is applied separately below so that a crop edit does not refit the panes.
  }, [controller, pixels, showFilm, imageId, kneeId]);

  useEffect(() => {
    if (controller && crop) controller.setCrop(crop);
  }, [controller, crop]);

  // One upload per task, after the current paint, so preloading never delays what the reader sees.
  const { upcoming } = props;
  useEffect(() => {
    if (!controller || !pixels || upcoming.length === 0) return;
    let i = 0;
    let timer = 0;
    const step = () => {
      const next = upcoming[i++];
      if (!next) return;
      controller.preload(next);
      timer = window.setTimeout(step, 16);
    };
    timer = window.setTimeout(step, 50);
    return () => window.clearTimeout(timer);
  }, [controller, pixels, upcoming]);

  usePointerTools(stage, controller);
  useViewerKeys(controller, {
    toggleCrop: () => setShowCrop((v) => !v),
    toggleOcclusion: props.onToggleOcclusion,
  });

  const error = initError ?? props.loadError;
  return (
    <div
      className="viewer"
      data-testid="viewer"
      data-knee-id={kneeId}
      data-renderer={controller?.renderer.kind ?? ''}
    >
      {controller && (
        <ViewerToolbar
          controller={controller}
          showCrop={showCrop}
          onToggleCrop={() => setShowCrop((v) => !v)}
          occlusionAvailable={props.occlusionAvailable}
          occlusionOn={props.occlusion !== null}
          occlusionBusy={props.occlusionBusy}
          onToggleOcclusion={props.onToggleOcclusion}
        />
      )}
      {controller?.fallbackReason && (
        <div className="viewer-note" role="status">
          Using the 2D canvas ({controller.fallbackReason}): window dragging is slower.
        </div>
      )}
      <div className="viewer-stage" ref={setStage}>
        <canvas
          ref={canvasRef}
          data-testid="viewer-canvas"
          className={pixels ? 'viewer-canvas' : 'viewer-canvas viewer-canvas--stale'}
        />
        {controller && pixels && props.occlusion && (
          <OcclusionOverlay controller={controller} map={props.occlusion} />
        )}
        {controller && pixels && showCrop && (
          <CropOverlay controller={controller} editable={props.cropEditable} onCommit={props.onCropCommit} />
        )}
        {showFilm && pixels && <span className="pane-label pane-label--film">Film</span>}
        {pixels && (
          <span className="pane-label pane-label--knee" style={showFilm ? undefined : { left: 8 }}>
            {props.side === 'L' ? 'Left knee' : 'Right knee'}
          </span>
        )}
        {!pixels && !error && <div className="viewer-placeholder">Loading image…</div>}
        {error && (
          <div className="viewer-error" role="alert" data-testid="error-banner">
            {error}
          </div>
        )}
      </div>
    </div>
  );
}
