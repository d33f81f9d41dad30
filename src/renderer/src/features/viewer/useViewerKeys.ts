// Viewer keys (letters only: the digits belong to grading): F fit, X 1:1, I invert, R reset,
// W next window preset, C crop outline, O occlusion map.
import { useEffect, useRef } from 'react';
import { isTypingTarget } from '../../components/keys';
import type { ViewerController } from './controller';
import { windowPresets } from './presets';

export function useViewerKeys(
  controller: ViewerController | null,
  actions: { toggleCrop: () => void; toggleOcclusion: () => void },
): void {
  const presetIndex = useRef(0);
  const actionsRef = useRef(actions);
  actionsRef.current = actions;
  useEffect(() => {
    if (!controller) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      switch (e.key.toLowerCase()) {
        case 'f':
          controller.fitAll();
          break;
        case 'x':
          controller.actualSizeAll();
          break;
        case 'i':
          controller.setDisplay({ invert: !controller.display.invert });
          break;
        case 'r':
          controller.reset();
          break;
        case 'w': {
          const presets = controller.pixels ? windowPresets(controller.pixels) : [];
          if (presets.length === 0) return;
          presetIndex.current = (presetIndex.current + 1) % presets.length;
          const p = presets[presetIndex.current];
          if (p) controller.setDisplay({ window: { center: p.center, width: p.width } });
          break;
        }
        case 'c':
          actionsRef.current.toggleCrop();
          break;
        case 'o':
          actionsRef.current.toggleOcclusion();
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}
