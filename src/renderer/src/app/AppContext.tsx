// App-wide state every view needs: the current reader, what is being read, navigation, and the
// places errors and confirmations are shown.
import { createContext, useContext } from 'react';
import type { AppInfo } from '../../../shared/contract';

export type ViewName = 'worklist' | 'read' | 'sessions' | 'models' | 'report';

/** What the reading view walks through. */
export type ReadingQueue =
  | { kind: 'session'; sessionId: number }
  | { kind: 'list'; kneeIds: number[]; startIndex: number; label: string };

export interface Toast {
  id: number;
  tone: 'ok' | 'info' | 'warn' | 'error';
  text: string;
}

export interface AppState {
  info: AppInfo;
  readerId: number | null;
  setReaderId: (id: number | null) => void;
  view: ViewName;
  setView: (v: ViewName) => void;
  queue: ReadingQueue | null;
  openReading: (q: ReadingQueue) => void;
  toast: (tone: Toast['tone'], text: string) => void;
  /** Show an error in the banner (it stays until dismissed). */
  reportError: (text: string) => void;
}

export const AppContext = createContext<AppState | null>(null);

export function useAppState(): AppState {
  const s = useContext(AppContext);
  if (!s) throw new Error('useAppState() outside <AppContext.Provider>');
  return s;
}
