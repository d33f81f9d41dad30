// One GradeSaver per API for the whole app lifetime: leaving and re-entering the reading view must
// not start a second saver that would resubmit grades the first one is still sending.
import type { KneeGradeApi } from '../../../../shared/api';
import { GradeSaver, localStorageJournal, type SaveState } from './gradeSaver';

interface Instance {
  saver: GradeSaver;
  subscribe: (fn: (s: SaveState) => void) => () => void;
  /** Journal entries replayed at start-up. */
  replayed: number;
}

const instances = new WeakMap<KneeGradeApi, Instance>();

export function gradeSaverFor(api: KneeGradeApi): Instance {
  const existing = instances.get(api);
  if (existing) return existing;
  const listeners = new Set<(s: SaveState) => void>();
  const saver = new GradeSaver({
    submit: (input) => api.grades.submit(input),
    journal: localStorageJournal(),
    onState: (s) => {
      for (const l of listeners) l(s);
    },
  });
  const inst: Instance = {
    saver,
    subscribe: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    replayed: saver.replay(),
  };
  instances.set(api, inst);
  return inst;
}
