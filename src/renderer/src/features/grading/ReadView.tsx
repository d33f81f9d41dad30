// Reading: the viewer, the grade panel and (unless blinded) the models, walking through a session or
// a worklist selection. Grading never waits: the grade is journaled and sent, and the next knee,
// already prefetched, is shown at once.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { errorMessage } from '../../api/errors';
import { useQuery } from '../../api/useQuery';
import { useAppState, type ReadingQueue } from '../../app/AppContext';
import { AiPanel } from '../ai/AiPanel';
import { useInferenceRun } from '../ai/useInferenceRun';
import { KneeViewer } from '../viewer/KneeViewer';
import type { OcclusionMap, Rect, ViewerPixels } from '../viewer/types';
import { noteKneeRequested } from '../viewer/viewerStats';
import { GradePanel } from './GradePanel';
import { NO_EXTRAS, type Extras } from './GradeExtras';
import type { SaveState } from './gradeSaver';
import { gradeSaverFor } from './saverInstance';
import { KneeFacts } from './KneeFacts';
import { KneeTimer } from './kneeTimer';
import { nextUngraded, prefetchTargets } from './readingOrder';
import { SessionBar } from './SessionBar';
import { useGradingKeys } from './useGradingKeys';
import { useKneeCaches, useKneeData } from './useKneeData';
import { useReadingQueue } from './useReadingQueue';

export function ReadView({ queue }: { queue: ReadingQueue }) {
  const api = useApi();
  const app = useAppState();
  const q = useReadingQueue(queue);
  const session = q.session;
  const readerId = session ? session.readerId : app.readerId;
  const blinded = session?.blinded ?? false;
  const caches = useKneeCaches(api, session?.id ?? null, readerId);
  const kneeId = q.order[q.index];
  const knee = useKneeData(kneeId, caches);
  const [extras, setExtras] = useState<Extras>(NO_EXTRAS);
  const [lastSave, setLastSave] = useState<SaveState | null>(null);
  const [pending, setPending] = useState(0);
  const [note, setNote] = useState<string | null>(null);
  const [complete, setComplete] = useState(false);
  const [occlusion, setOcclusion] = useState<OcclusionMap | null>(null);
  const [occlusionBusy, setOcclusionBusy] = useState(false);
  const history = useRef<number[]>([]);
  const timer = useMemo(() => new KneeTimer(), []);
  const models = useQuery(() => api.models.list(), [], ['models']);
  const run = useInferenceRun();

  const appRef = useRef(app);
  appRef.current = app;
  const saverInst = useMemo(() => gradeSaverFor(api), [api]);
  const saver = saverInst.saver;

  // Every save state shows in the panel; a failure also in the error banner. Grades a crash left
  // unsaved were resubmitted when the saver started.
  useEffect(() => {
    if (saverInst.replayed > 0) {
      appRef.current.toast(
        'info',
        `Saving ${saverInst.replayed} grade(s) entered before the app last closed`,
      );
      saverInst.replayed = 0;
    }
    const off = saverInst.subscribe((s) => {
      setLastSave(s);
      setNote(null);
      setPending(saverInst.saver.pendingCount());
      if (s.kind === 'failed') {
        appRef.current.reportError(
          `Grade KL ${s.entry.input.klg} for knee ${s.entry.input.kneeId} was not saved: ${s.message}`,
        );
      }
    });
    return off;
  }, [saverInst]);

  // Time on the knee; paused while the window is hidden.
  useEffect(() => {
    if (kneeId !== undefined) timer.start(kneeId);
  }, [kneeId, timer]);
  useEffect(() => {
    const vis = () => (document.hidden ? timer.pause() : timer.resume());
    document.addEventListener('visibilitychange', vis);
    return () => document.removeEventListener('visibilitychange', vis);
  }, [timer]);

  // New knee: fresh extras, no stale overlay; warm the caches for where the reader goes next.
  useEffect(() => {
    setExtras(NO_EXTRAS);
    setOcclusion(null);
  }, [kneeId]);
  // Prefetch only once the current film is on screen, so it never competes with the film the reader
  // is waiting for; then in a later task, so the paint is presented first.
  const painted = knee.pixels !== null;
  const [upcoming, setUpcoming] = useState<ViewerPixels[]>([]);
  useEffect(() => {
    if (!painted) return;
    let live = true;
    const t = window.setTimeout(() => {
      const targets = prefetchTargets(q.order, new Set(q.graded.keys()), q.index, session !== null);
      const films = targets.map((i) => {
        const id = q.order[i];
        if (id === undefined) return Promise.resolve(null);
        caches.prefetch(id);
        return caches.details
          .get(id)
          .then((d) => caches.pixels.get(d.image.id))
          .catch(() => null);
      });
      // Hand the films to the viewer (GPU upload in idle time) in the order they will be needed.
      void Promise.all(films).then((list) => {
        if (live) setUpcoming(list.filter((p): p is ViewerPixels => p !== null));
      });
    }, 30);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [painted, q.order, q.graded, q.index, session, caches]);

  // A session opened with every knee already graded shows its completion straight away.
  useEffect(() => {
    if (q.ready && session && q.order.length > 0 && q.order.every((id) => q.graded.has(id)))
      setComplete(true);
    // Only when a queue is (re)opened, not after each grade (the grade handler decides then).
  }, [q.ready, session?.id]);

  const goTo = useCallback(
    (i: number, clockStarted = false) => {
      if (i < 0 || i >= q.order.length || i === q.index) return;
      if (!clockStarted) noteKneeRequested();
      setComplete(false);
      q.setIndex(i);
    },
    [q],
  );

  const grade = (klg: number) => {
    if (kneeId === undefined) return;
    noteKneeRequested(); // the next knee's "key -> paint" clock starts at the key
    if (readerId === null) {
      app.reportError('Choose a reader (top right) before grading.');
      return;
    }
    const input = {
      kneeId,
      readerId,
      klg,
      timeSpentMs: timer.elapsed(kneeId),
      ...(session ? { sessionId: session.id } : {}),
      ...(extras.confidence !== null ? { confidence: extras.confidence } : {}),
      ...(extras.osteophyte !== null ? { osteophyte: extras.osteophyte } : {}),
      ...(extras.jsn !== null ? { jsn: extras.jsn } : {}),
      ...(extras.comment.trim() ? { comment: extras.comment.trim() } : {}),
    };
    saver.enter(input);
    timer.restart();
    history.current.push(kneeId);
    caches.details.delete(kneeId);
    q.markGraded(kneeId, klg);
    const graded = new Set(q.graded.keys()).add(kneeId);
    if (session) {
      const n = nextUngraded(q.order, graded, q.index);
      if (n === null) setComplete(true);
      else goTo(n, true);
    } else if (q.index + 1 < q.order.length) {
      goTo(q.index + 1, true);
    } else {
      app.toast('info', 'That was the last knee of this list');
    }
  };

  const undo = async () => {
    if (readerId === null) return;
    const target = history.current.pop() ?? kneeId;
    if (target === undefined) return;
    try {
      await saver.settled(target);
      const r = await api.grades.undo({
        kneeId: target,
        readerId,
        ...(session ? { sessionId: session.id } : {}),
      });
      caches.details.delete(target);
      q.markGraded(target, r.effective?.klg ?? null);
      const i = q.order.indexOf(target);
      if (i >= 0) goTo(i);
      setComplete(false);
      app.toast(
        'info',
        `Undone: knee ${target} is now ${r.effective ? `KL ${r.effective.klg}` : 'ungraded'}`,
      );
    } catch (e) {
      app.reportError(`Undo failed for knee ${target}: ${errorMessage(e)}`);
    }
  };

  // After the last knee: no grade key applies, but ← brings the last knee back and Ctrl+Z still undoes.
  useGradingKeys(q.ready, {
    grade: (klg) => {
      if (!complete) grade(klg);
    },
    next: () => {
      if (!complete) goTo(q.index + 1);
    },
    prev: () => (complete ? setComplete(false) : goTo(q.index - 1)),
    undo: () => void undo(),
  });

  const canSeeModels = !blinded;
  const readyModel = (models.data ?? []).find((m) => m.status === 'ready' && m.approach === 'end-to-end');

  const commitCrop = async (crop: Rect) => {
    if (kneeId === undefined) return;
    try {
      await api.knees.setCrop({ kneeId, crop, ...(readerId !== null ? { readerId } : {}) });
      setOcclusion(null);
      knee.refresh();
      if ((models.data ?? []).some((m) => m.status === 'ready')) {
        app.toast('info', 'Crop saved; the models are re-running on it');
        await run.start({ kneeIds: [kneeId] });
        knee.refresh();
      } else {
        app.toast('ok', 'Crop saved');
      }
    } catch (e) {
      app.reportError(`Could not save the crop of knee ${kneeId}: ${errorMessage(e)}`);
    }
  };

  const toggleOcclusion = async () => {
    if (occlusion) return setOcclusion(null);
    if (!canSeeModels || !readyModel || kneeId === undefined || occlusionBusy) return;
    setOcclusionBusy(true);
    try {
      const ex = await api.inference.explain({
        kneeId,
        model: readyModel.name,
        ...(session ? { sessionId: session.id } : {}),
        ...(readerId !== null ? { readerId } : {}),
      });
      if (ex.kneeId === kneeId)
        setOcclusion({ rows: ex.gridRows, cols: ex.gridCols, values: ex.map, crop: ex.crop });
    } catch (e) {
      app.reportError(`Occlusion map failed: ${errorMessage(e)}`);
    } finally {
      setOcclusionBusy(false);
    }
  };

  const runAll = async () => {
    const r = await run.start(session ? { kneeIds: q.order } : { kneeIds: q.order });
    if (r) {
      app.toast(r.failures.length ? 'warn' : 'ok', `Models: ${r.computed} computed, ${r.cached} cached`);
      knee.refresh();
    }
  };

  if (q.error) {
    return (
      <div className="inline-error" role="alert" data-testid="error-banner">
        {q.error}
      </div>
    );
  }
  if (!q.ready) return <div className="splash">Opening…</div>;
  if (q.order.length === 0) return <p className="empty">This selection has no knees.</p>;

  const detail = knee.detail;
  const done = q.order.filter((id) => q.graded.has(id)).length;
  const myKlg =
    kneeId !== undefined && q.graded.has(kneeId)
      ? (q.graded.get(kneeId) ?? null)
      : (detail?.grades.find((g) => g.readerId === readerId)?.event.klg ?? null);

  return (
    <section className="read-view">
      <div className="read-main">
        <SessionBar
          session={session}
          label={queue.kind === 'list' ? queue.label : ''}
          position={q.index}
          total={q.order.length}
          done={done}
          kneeLabel={detail ? `${detail.patient} · ${detail.side === 'L' ? 'left' : 'right'} knee` : ''}
        />
        {complete ? (
          <div className="session-complete" data-testid="session-complete">
            <h2>Session complete</h2>
            <p>
              All {q.order.length} knees are graded and saved. Use ← to revisit a knee, or Ctrl+Z to undo the
              last grade.
            </p>
            <button type="button" onClick={() => app.setView('sessions')}>
              Back to sessions
            </button>
          </div>
        ) : (
          kneeId !== undefined && (
            <KneeViewer
              kneeId={kneeId}
              imageId={detail?.image.id ?? 0}
              side={detail?.side ?? 'L'}
              pixels={knee.pixels}
              loadError={knee.error}
              crop={
                detail ? { x: detail.crop.x, y: detail.crop.y, w: detail.crop.w, h: detail.crop.h } : null
              }
              showFilm={detail ? !detail.image.isJointCrop && detail.crop.source !== 'whole-image' : false}
              cropEditable={!blinded && detail !== null && !detail.image.isJointCrop}
              onCropCommit={(c) => void commitCrop(c)}
              occlusion={occlusion}
              occlusionAvailable={canSeeModels && readyModel !== undefined}
              occlusionBusy={occlusionBusy}
              onToggleOcclusion={() => void toggleOcclusion()}
              upcoming={upcoming}
            />
          )
        )}
      </div>
      <aside className="read-side">
        <GradePanel
          currentKlg={myKlg}
          disabledReason={readerId === null ? 'Choose a reader (top right) to grade.' : null}
          extras={extras}
          onExtras={setExtras}
          onGrade={grade}
          onPrev={() => goTo(q.index - 1)}
          onNext={() => goTo(q.index + 1)}
          onUndo={() => void undo()}
          canUndo={history.current.length > 0 || myKlg !== null}
          lastSave={lastSave}
          pending={pending}
          note={note}
        />
        {detail && <KneeFacts detail={detail} readerId={readerId} />}
        {canSeeModels && detail && (
          <AiPanel
            predictions={detail.predictions}
            models={models.data ?? []}
            run={run}
            onRunAll={() => void runAll()}
            scopeLabel={session ? 'this session' : 'this list'}
          />
        )}
      </aside>
    </section>
  );
}
