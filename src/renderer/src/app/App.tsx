// The application shell: loads the API, holds app-wide state, shows one view at a time.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KneeGradeApi } from '../../../shared/api';
import type { AppInfo } from '../../../shared/contract';
import { ApiContext, useApi } from '../api/ApiContext';
import { loadApi } from '../api/client';
import { errorMessage } from '../api/errors';
import { ErrorBanner } from '../components/ErrorBanner';
import { HelpOverlay } from '../components/HelpOverlay';
import { isTypingTarget } from '../components/keys';
import { Toasts } from '../components/Toasts';
import { ModelsView } from '../features/ai/ModelsView';
import { ReadView } from '../features/grading/ReadView';
import { gradeSaverFor } from '../features/grading/saverInstance';
import { ReportView } from '../features/reports/ReportView';
import { SessionsView } from '../features/sessions/SessionsView';
import { WorklistView } from '../features/worklist/WorklistView';
import { AppContext, type AppState, type ReadingQueue, type Toast, type ViewName } from './AppContext';
import { TopBar } from './TopBar';

const READER_KEY = 'kneegrade.readerId';

export function App() {
  const [api, setApi] = useState<KneeGradeApi | null>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);

  useEffect(() => {
    loadApi()
      .then(async (a) => {
        setInfo(await a.app.info());
        setApi(a);
      })
      .catch((e: unknown) => setFatal(`Cannot reach the KneeGrade core: ${errorMessage(e)}`));
  }, []);

  if (fatal) {
    return (
      <div className="fatal" role="alert" data-testid="error-banner">
        {fatal}
      </div>
    );
  }
  if (!api || !info) return <div className="splash">KneeGrade — starting…</div>;
  return (
    <ApiContext.Provider value={api}>
      <Shell info={info} />
    </ApiContext.Provider>
  );
}

function Shell({ info }: { info: AppInfo }) {
  const [readerId, setReaderIdState] = useState<number | null>(() => {
    const v = Number(window.localStorage.getItem(READER_KEY));
    return Number.isInteger(v) && v > 0 ? v : null;
  });
  const [view, setView] = useState<ViewName>('worklist');
  const [queue, setQueue] = useState<ReadingQueue | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [errors, setErrors] = useState<{ id: number; text: string }[]>([]);
  const [help, setHelp] = useState(false);
  const nextId = useRef(1);
  const api = useApi();
  // Resubmit grades a crash left in the local journal as soon as the app is up.
  useEffect(() => void gradeSaverFor(api), [api]);

  const setReaderId = useCallback((id: number | null) => {
    setReaderIdState(id);
    if (id === null) window.localStorage.removeItem(READER_KEY);
    else window.localStorage.setItem(READER_KEY, String(id));
  }, []);

  const toast = useCallback((tone: Toast['tone'], text: string) => {
    const id = nextId.current++;
    setToasts((t) => [...t.slice(-3), { id, tone, text }]);
    window.setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), tone === 'error' ? 8000 : 2500);
  }, []);

  const reportError = useCallback((text: string) => {
    const id = nextId.current++;
    setErrors((e) => (e.some((x) => x.text === text) ? e : [...e.slice(-4), { id, text }]));
  }, []);

  const openReading = useCallback((q: ReadingQueue) => {
    setQueue(q);
    setView('read');
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target)) {
        if (e.key === 'Escape') (e.target as HTMLElement).blur();
        return;
      }
      if (e.key === '?' || e.key === 'F1') {
        e.preventDefault();
        setHelp((h) => !h);
      } else if (e.key === 'Escape') setHelp(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const state: AppState = useMemo(
    () => ({ info, readerId, setReaderId, view, setView, queue, openReading, toast, reportError }),
    [info, readerId, setReaderId, view, queue, openReading, toast, reportError],
  );

  return (
    <AppContext.Provider value={state}>
      <div className="app" data-testid="app-ready" data-transport={info.transport}>
        <TopBar onHelp={() => setHelp(true)} />
        <ErrorBanner errors={errors} onDismiss={(id) => setErrors((e) => e.filter((x) => x.id !== id))} />
        <main className="main">
          {view === 'worklist' && <WorklistView />}
          {view === 'read' && queue && <ReadView queue={queue} />}
          {view === 'sessions' && <SessionsView />}
          {view === 'models' && <ModelsView />}
          {view === 'report' && <ReportView />}
        </main>
        <Toasts toasts={toasts} />
        {help && <HelpOverlay onClose={() => setHelp(false)} />}
      </div>
    </AppContext.Provider>
  );
}
