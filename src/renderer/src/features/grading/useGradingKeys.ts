// Grading keys: 0-4 grade and advance, arrows / N / P move, Ctrl+Z (Cmd+Z) undoes the last grade.
import { useEffect, useRef } from 'react';
import { gradeForKey, isTypingTarget } from '../../components/keys';

export interface GradingKeyActions {
  grade: (klg: number) => void;
  next: () => void;
  prev: () => void;
  undo: () => void;
}

export function useGradingKeys(enabled: boolean, actions: GradingKeyActions): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target)) return;
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        ref.current.undo();
        return;
      }
      const g = gradeForKey(e);
      if (g !== null) {
        e.preventDefault();
        if (!e.repeat) ref.current.grade(g); // a held key must not grade a run of knees
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (
        e.key === 'ArrowRight' ||
        e.key === 'ArrowDown' ||
        e.key === 'PageDown' ||
        e.key.toLowerCase() === 'n'
      ) {
        e.preventDefault();
        ref.current.next();
      } else if (
        e.key === 'ArrowLeft' ||
        e.key === 'ArrowUp' ||
        e.key === 'PageUp' ||
        e.key.toLowerCase() === 'p'
      ) {
        e.preventDefault();
        ref.current.prev();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
