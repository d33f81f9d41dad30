// Re-render a component when the controller changes, at most once per animation frame.
import { useEffect, useState } from 'react';
import type { ChangeKind, ViewerController } from './controller';

export function useControllerVersion(
  controller: ViewerController | null,
  kinds: readonly ChangeKind[],
): number {
  const [version, setVersion] = useState(0);
  const key = kinds.join(',');
  useEffect(() => {
    if (!controller) return;
    const wanted = new Set(key.split(','));
    let frame = 0;
    const off = controller.onChange((kind) => {
      if (!wanted.has(kind) || frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setVersion((v) => v + 1);
      });
    });
    return () => {
      off();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [controller, key]);
  return version;
}
