// Re-render a component when the controller changes, at most once per animation frame.
import { useEffect, useRef, useState } from 'react';
import type { ChangeKind, ViewerController } from './controller';

export function useControllerVersion(
  controller: ViewerController | null,
  kinds: readonly ChangeKind[],
): number {
  const [version, setVersion] = useState(0);
  // The controller's revision this render saw: a change between render and subscription (an effect
  // of a parent, or StrictMode's remount) must still reach the component.
  const seen = useRef(-1);
  seen.current = controller?.revision ?? -1;
  const key = kinds.join(',');
  useEffect(() => {
    if (!controller) return;
    const wanted = new Set(key.split(','));
    let frame = 0;
    const bump = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setVersion((v) => v + 1);
      });
    };
    const off = controller.onChange((kind) => {
      if (wanted.has(kind)) bump();
    });
    if (controller.revision !== seen.current) bump();
    return () => {
      off();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [controller, key]);
  return version;
}
