// Tools above the image: window presets, fit / 1:1 / invert / reset, overlays, and a live readout.
import type { ViewerController } from './controller';
import { windowPresets } from './presets';
import { useControllerVersion } from './useControllerVersion';

interface Props {
  controller: ViewerController;
  showCrop: boolean;
  onToggleCrop: () => void;
  occlusionAvailable: boolean;
  occlusionOn: boolean;
  occlusionBusy: boolean;
  onToggleOcclusion: () => void;
}

export function ViewerToolbar(props: Props) {
  const { controller } = props;
  useControllerVersion(controller, ['display', 'view', 'image']);
  const px = controller.pixels;
  const presets = px ? windowPresets(px) : [];
  const { window: win, invert } = controller.display;
  const knee = controller.panes.find((p) => p.id === 'knee');
  return (
    <div className="viewer-toolbar" role="toolbar" aria-label="Viewer tools">
      <select
        data-testid="viewer-preset"
        aria-label="Window preset"
        value=""
        onChange={(e) => {
          const p = presets[Number(e.target.value)];
          if (p) controller.setDisplay({ window: { center: p.center, width: p.width } });
          e.target.blur(); // digits must grade, not pick an option
        }}
      >
        <option value="" disabled>
          Window presets (W)
        </option>
        {presets.map((p, i) => (
          <option key={i} value={i}>
            {p.label} — C {fmt(p.center)} / W {fmt(p.width)}
          </option>
        ))}
      </select>
      <button type="button" data-testid="viewer-fit" title="Fit (F)" onClick={() => controller.fitAll()}>
        Fit
      </button>
      <button
        type="button"
        data-testid="viewer-1to1"
        title="One image pixel per screen pixel (X)"
        onClick={() => controller.actualSizeAll()}
      >
        1:1
      </button>
      <button
        type="button"
        data-testid="viewer-invert"
        aria-pressed={px ? invert !== px.invert : invert}
        title="Invert (I)"
        onClick={() => controller.setDisplay({ invert: !invert })}
      >
        Invert
      </button>
      <button
        type="button"
        data-testid="viewer-reset"
        title="Reset window, zoom and pan (R)"
        onClick={() => controller.reset()}
      >
        Reset
      </button>
      <span className="toolbar-sep" />
      <button
        type="button"
        aria-pressed={props.showCrop}
        title="Show the models' crop (C)"
        onClick={props.onToggleCrop}
      >
        Crop
      </button>
      {props.occlusionAvailable && (
        <button
          type="button"
          data-testid="viewer-occlusion"
          aria-pressed={props.occlusionOn}
          title="Occlusion map: which parts of the crop changed the model's answer (O)"
          onClick={props.onToggleOcclusion}
        >
          {props.occlusionBusy ? 'Occlusion…' : 'Occlusion'}
        </button>
      )}
      <span className="viewer-readout" data-testid="viewer-readout">
        C {fmt(win.center)} W {fmt(win.width)}
        {knee ? ` · ${Math.round(knee.view.zoom * 100)} %` : ''}
        {controller.renderer.kind === 'canvas2d' ? ' · 2D canvas' : ''}
      </span>
    </div>
  );
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? String(Math.round(v)) : v.toFixed(1);
}
