// Mouse tools on the viewer: left-drag window/level, right- or middle- or Shift-drag pan,
// Ctrl-drag or wheel zoom (about the cursor), double-click fit. Mutates the controller directly.
import { useEffect } from 'react';
import type { ViewerController } from './controller';
import { paneAt } from './layout';
import type { Pane, View, WindowSetting } from './types';
import { panBy, zoomAt } from './viewTransform';
import { dragWindow } from './windowing';

type Mode = 'window' | 'pan' | 'zoom';

interface Drag {
  mode: Mode;
  pointerId: number;
  pane: Pane;
  startX: number;
  startY: number;
  startView: View;
  startWindow: WindowSetting;
}

export function usePointerTools(el: HTMLElement | null, controller: ViewerController | null): void {
  useEffect(() => {
    if (!el || !controller) return;
    let drag: Drag | null = null;
    const dpr = () => window.devicePixelRatio || 1;
    const local = (e: { clientX: number; clientY: number }) => {
      const r = el.getBoundingClientRect();
      return { x: (e.clientX - r.left) * dpr(), y: (e.clientY - r.top) * dpr() };
    };

    const down = (e: PointerEvent) => {
      if ((e.target as Element).closest('[data-crop-handle]')) return; // the crop outline has its own drag
      const p = local(e);
      const pane = paneAt(controller.panes, p.x, p.y);
      if (!pane) return;
      let mode: Mode = 'window';
      if (e.button === 1 || e.button === 2 || e.shiftKey) mode = 'pan';
      else if (e.ctrlKey || e.metaKey) mode = 'zoom';
      else if (e.button !== 0) return;
      e.preventDefault();
      el.setPointerCapture(e.pointerId);
      drag = {
        mode,
        pointerId: e.pointerId,
        pane,
        startX: p.x,
        startY: p.y,
        startView: { ...pane.view },
        startWindow: { ...controller.display.window },
      };
      el.dataset.dragging = mode;
    };

    const move = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.pointerId) return;
      const p = local(e);
      const dx = p.x - drag.startX;
      const dy = p.y - drag.startY;
      const { pane } = drag;
      if (drag.mode === 'window') {
        const px = controller.pixels;
        const range = px ? px.max - px.min : 256;
        controller.setDisplay({ window: dragWindow(drag.startWindow, dx, dy, range, pane.rect.w) });
      } else if (drag.mode === 'pan') {
        controller.setView(pane.id, panBy(drag.startView, dx, dy));
      } else {
        const size = { w: pane.rect.w, h: pane.rect.h };
        const ax = drag.startX - pane.rect.x;
        const ay = drag.startY - pane.rect.y;
        controller.setView(pane.id, zoomAt(drag.startView, size, ax, ay, Math.exp(-dy * 0.01)));
      }
    };

    const up = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.pointerId) return;
      drag = null;
      delete el.dataset.dragging;
      if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
    };

    const wheel = (e: WheelEvent) => {
      const p = local(e);
      const pane = paneAt(controller.panes, p.x, p.y);
      if (!pane) return;
      e.preventDefault();
      const size = { w: pane.rect.w, h: pane.rect.h };
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      controller.setView(pane.id, zoomAt(pane.view, size, p.x - pane.rect.x, p.y - pane.rect.y, factor));
    };

    const dbl = (e: MouseEvent) => {
      const p = local(e);
      const pane = paneAt(controller.panes, p.x, p.y);
      if (pane) controller.fitPane(pane.id);
    };

    const noMenu = (e: Event) => e.preventDefault();

    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
    el.addEventListener('wheel', wheel, { passive: false });
    el.addEventListener('dblclick', dbl);
    el.addEventListener('contextmenu', noMenu);
    return () => {
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
      el.removeEventListener('wheel', wheel);
      el.removeEventListener('dblclick', dbl);
      el.removeEventListener('contextmenu', noMenu);
    };
  }, [el, controller]);
}
