// An in-memory stand-in for the core, used only under `vite dev` with `?mock` (never in a build the
// app ships): synthetic films, two readers' worth of grades, one ready model and one missing. It lets
// the UI be looked at and worked on while the core is elsewhere; the e2e tests use the real bridge.
import { buildApi, type KneeGradeApi } from '../../../shared/api';
import {
  ApiError,
  CHANNELS,
  parseInput,
  type Channel,
  type EventName,
  type Events,
  type GradeEvent,
  type KneeDetail,
  type KneeListItem,
  type ModelInfo,
  type SessionSummary,
} from '../../../shared/contract';
import { syntheticCrop, syntheticFilm } from './mockFilm';

interface MockKnee {
  id: number;
  imageId: number;
  studyId: number;
  side: 'L' | 'R';
  ref: number;
  crop: { x: number; y: number; w: number; h: number };
}

export function createMockApi(): KneeGradeApi {
  const FILM = { w: 2500, h: 2000 };
  const images = new Map<
    number,
    { w: number; h: number; data: () => Uint16Array; format: 'dicom' | 'webp'; joint: boolean }
  >();
  const knees: MockKnee[] = [];
  let nextKnee = 1;
  for (let s = 1; s <= 4; s++) {
    images.set(s, {
      ...FILM,
      w: FILM.w,
      h: FILM.h,
      data: () => syntheticFilm(FILM.w, FILM.h, s),
      format: 'dicom',
      joint: false,
    });
    for (const [side, cx] of [
      ['R', 0.27],
      ['L', 0.73],
    ] as const) {
      const size = 700;
      knees.push({
        id: nextKnee++,
        imageId: s,
        studyId: s,
        side,
        ref: (s + (side === 'L' ? 1 : 0)) % 5,
        crop: { x: FILM.w * cx - size / 2, y: FILM.h * 0.5 - size / 2, w: size, h: size },
      });
    }
  }
  images.set(10, { w: 224, h: 224, data: () => syntheticCrop(224, 7), format: 'webp', joint: true });
  knees.push({
    id: nextKnee++,
    imageId: 10,
    studyId: 5,
    side: 'R',
    ref: 2,
    crop: { x: 0, y: 0, w: 224, h: 224 },
  });

  const readers = [{ id: 1, name: 'Dr Demo', role: 'expert', createdAt: '2026-11-01T09:00:00Z' }];
  const events: GradeEvent[] = [];
  const sessions: (SessionSummary & { order: number[] })[] = [];
  const listeners = new Map<EventName, Set<(p: never) => void>>();
  const emit = <E extends EventName>(e: E, p: Events[E]) =>
    listeners.get(e)?.forEach((l) => (l as (x: Events[E]) => void)(p));
  const now = () => new Date().toISOString();
  const models: ModelInfo[] = [
    {
      name: 'convnext-kl',
      version: '1.0.0',
      approach: 'end-to-end',
      architecture: 'convnext_tiny',
      status: 'ready',
      reason: null,
      inputSize: 224,
      validation: { split: 'val', n: 826, qwk: 0.86, exactAccuracy: 0.64, mae: 0.41 },
      training: { data: 'OAI kneeKL224 (Chen 2018)', licence: 'CC BY 4.0', attribution: 'Chen P.' },
      predictedKnees: 0,
    },
    {
      name: 'resnet18-kl',
      version: null,
      approach: null,
      architecture: null,
      status: 'not-installed',
      reason: 'model.onnx missing in resources/models/resnet18-kl',
      inputSize: null,
      validation: null,
      training: null,
      predictedKnees: 0,
    },
  ];
  const effective = (kneeId: number, readerId: number): GradeEvent | null => {
    const retracted = new Set(events.filter((e) => e.kind === 'retract').map((e) => e.retracts));
    const mine = events.filter(
      (e) => e.kneeId === kneeId && e.readerId === readerId && e.kind === 'grade' && !retracted.has(e.id),
    );
    return mine[mine.length - 1] ?? null;
  };
  const probs = (k: MockKnee) => {
    const p = [0, 1, 2, 3, 4].map((g) => Math.exp(-((g - k.ref) ** 2)));
    const z = p.reduce((a, b) => a + b, 0);
    return p.map((v) => v / z);
  };
  const summary = (s: (typeof sessions)[number]): SessionSummary => {
    const { order, ...rest } = s;
    return { ...rest, done: order.filter((k) => effective(k, s.readerId)).length };
  };
  const find = (id: number) => {
    const k = knees.find((x) => x.id === id);
    if (!k) throw new ApiError('NOT_FOUND', `knee ${id} does not exist`);
    return k;
  };

  const handlers: Partial<Record<Channel, (i: never) => unknown>> = {
    'app:info': () => ({
      version: '0.1.0-mock',
      transport: 'bridge',
      dbPath: '(mock)',
      schemaVersion: 1,
      modelsDir: 'resources/models',
      platform: 'mock',
    }),
    'studies:list': () =>
      [1, 2, 3, 4, 5].map((id) => ({
        id,
        studyUid: `1.2.${id}`,
        patient: `P-${1000 + id}`,
        studyDate: `2026-0${id}-12`,
        description: 'Knees PA',
        importedAt: now(),
        imageCount: 1,
        kneeCount: knees.filter((k) => k.studyId === id).length,
      })),
    'knees:list': (i: {
      readerId?: number;
      ungradedByReaderId?: number;
      studyId?: number;
      referenceKlg?: number;
    }) => {
      let items: KneeListItem[] = knees.map((k) => ({
        id: k.id,
        imageId: k.imageId,
        studyId: k.studyId,
        side: k.side,
        patient: `P-${1000 + k.studyId}`,
        studyDate: `2026-0${k.studyId}-12`,
        sourceFormat: images.get(k.imageId)!.format,
        referenceKlg: k.ref,
        myKlg: i.readerId ? (effective(k.id, i.readerId)?.klg ?? null) : null,
        readerCount: readers.filter((r) => effective(k.id, r.id)).length,
        modelKlg: { 'convnext-kl': k.ref },
        spread: null,
      }));
      if (i.ungradedByReaderId) items = items.filter((k) => !effective(k.id, i.ungradedByReaderId!));
      if (i.studyId) items = items.filter((k) => k.studyId === i.studyId);
      if (i.referenceKlg !== undefined) items = items.filter((k) => k.referenceKlg === i.referenceKlg);
      return { items, total: items.length };
    },
    'knees:get': (i: { kneeId: number; sessionId?: number }) => {
      const k = find(i.kneeId);
      const img = images.get(k.imageId)!;
      const blinded = i.sessionId ? (sessions.find((s) => s.id === i.sessionId)?.blinded ?? false) : false;
      const d: KneeDetail = {
        id: k.id,
        side: k.side,
        studyId: k.studyId,
        patient: `P-${1000 + k.studyId}`,
        studyDate: '2026-01-12',
        image: {
          id: k.imageId,
          rows: img.h,
          columns: img.w,
          frames: 1,
          sourceFormat: img.format,
          modality: img.format === 'dicom' ? 'CR' : null,
          laterality: 'B',
          view: 'PA',
          pixelSpacing: img.joint ? null : { row: 0.15, col: 0.15, source: 'ImagerPixelSpacing' },
          isJointCrop: img.joint,
          appliedSteps: img.joint ? ['clahe'] : [],
        },
        crop: { ...k.crop, source: img.joint ? 'whole-image' : 'auto' },
        autoCrop: { ...k.crop, source: 'auto' },
        blinded,
        reference: blinded ? [] : [{ source: 'phantom-truth', klg: k.ref }],
        grades: readers.flatMap((r) => {
          const e = effective(k.id, r.id);
          return e ? [{ readerId: r.id, readerName: r.name, event: e }] : [];
        }),
        predictions: blinded
          ? []
          : [
              {
                model: 'convnext-kl',
                version: '1.0.0',
                klg: k.ref,
                probs: probs(k),
                current: true,
                provider: 'cpu',
                createdAt: now(),
              },
            ],
      };
      return d;
    },
    'knees:setCrop': (i: { kneeId: number; crop: MockKnee['crop'] }) => {
      const k = find(i.kneeId);
      k.crop = i.crop;
      return { ...k.crop, source: 'edited' };
    },
    'images:pixels': (i: { imageId: number }) => {
      const img = images.get(i.imageId);
      if (!img) throw new ApiError('NOT_FOUND', `image ${i.imageId} does not exist`);
      const data = img.data();
      const film = img.format === 'dicom';
      return {
        imageId: i.imageId,
        rows: img.h,
        columns: img.w,
        frame: 0,
        frames: 1,
        data: new Uint8Array(data.buffer),
        scale: 1,
        offset: 0,
        min: 0,
        max: film ? 4095 : 255,
        windows: film ? [{ center: 2200, width: 3000, explanation: 'BONE' }] : [],
        invert: false,
        pixelSpacing: null,
        sourceFormat: img.format,
      };
    },
    'readers:list': () => readers,
    'readers:create': (i: { name: string; role: string }) => {
      const r = { id: readers.length + 1, name: i.name, role: i.role, createdAt: now() };
      readers.push(r);
      emit('data:changed', { what: 'readers' });
      return r;
    },
    'sessions:list': () => sessions.map(summary),
    'sessions:create': (i: {
      readerId: number;
      name: string;
      blinded: boolean;
      aiAided: boolean;
      seed?: number;
    }) => {
      const order = knees.map((k) => k.id).sort(() => 0.5 - Math.random());
      const s = {
        id: sessions.length + 1,
        readerId: i.readerId,
        readerName: readers.find((r) => r.id === i.readerId)?.name ?? '?',
        name: i.name,
        kind: 'primary' as const,
        rereadOf: null,
        washoutDays: null,
        blinded: i.blinded,
        aiAided: i.aiAided,
        seed: i.seed ?? 12345,
        status: 'active' as const,
        total: order.length,
        done: 0,
        createdAt: now(),
        updatedAt: now(),
        order,
      };
      sessions.push(s);
      return summary(s);
    },
    'sessions:get': (i: { sessionId: number }) => {
      const s = sessions.find((x) => x.id === i.sessionId);
      if (!s) throw new ApiError('NOT_FOUND', `session ${i.sessionId} does not exist`);
      return {
        ...summary(s),
        items: s.order.map((kneeId, position) => {
          const e = effective(kneeId, s.readerId);
          return { position, kneeId, graded: e !== null, klg: e?.klg ?? null };
        }),
      };
    },
    'sessions:pause': (i: { sessionId: number }) => {
      const s = sessions.find((x) => x.id === i.sessionId)!;
      s.status = 'paused';
      return summary(s);
    },
    'sessions:resume': (i: { sessionId: number }) => {
      const s = sessions.find((x) => x.id === i.sessionId)!;
      s.status = 'active';
      return summary(s);
    },
    'grades:submit': (i: Omit<GradeEvent, 'id' | 'kind' | 'retracts' | 'createdAt'>) => {
      const e: GradeEvent = {
        id: events.length + 1,
        kneeId: i.kneeId,
        readerId: i.readerId,
        sessionId: i.sessionId ?? null,
        kind: 'grade',
        klg: i.klg,
        confidence: i.confidence ?? null,
        osteophyte: i.osteophyte ?? null,
        jsn: i.jsn ?? null,
        comment: i.comment ?? null,
        timeSpentMs: i.timeSpentMs ?? null,
        retracts: null,
        createdAt: now(),
      };
      events.push(e);
      return e;
    },
    'grades:undo': (i: { kneeId: number; readerId: number }) => {
      const last = effective(i.kneeId, i.readerId);
      if (!last) throw new ApiError('NOT_FOUND', `no grade of knee ${i.kneeId} to undo`);
      const r: GradeEvent = {
        ...last,
        id: events.length + 1,
        kind: 'retract',
        klg: null,
        retracts: last.id,
        createdAt: now(),
      };
      events.push(r);
      return { retractEventId: r.id, retractedEventId: last.id, effective: effective(i.kneeId, i.readerId) };
    },
    'models:list': () => models,
    'inference:run': async (i: { jobId?: string; kneeIds?: number[] }) => {
      const ids = i.kneeIds ?? knees.map((k) => k.id);
      for (let d = 0; d < ids.length; d++) {
        await new Promise((r) => setTimeout(r, 40));
        emit('inference:progress', {
          jobId: i.jobId ?? null,
          done: d + 1,
          total: ids.length,
          model: 'convnext-kl',
          kneeId: ids[d] ?? null,
        });
      }
      return { jobId: i.jobId ?? null, computed: ids.length, cached: 0, cancelled: false, failures: [] };
    },
    'inference:explain': (i: { kneeId: number; model: string; gridSize: number }) => {
      const k = find(i.kneeId);
      const n = i.gridSize;
      const map = Array.from({ length: n * n }, (_, j) => {
        const x = (j % n) / (n - 1) - 0.5;
        const y = Math.floor(j / n) / (n - 1) - 0.5;
        return Math.exp(-(x * x + y * y) * 8);
      });
      return {
        kneeId: k.id,
        model: i.model,
        klg: k.ref,
        probs: probs(k),
        crop: k.crop,
        gridRows: n,
        gridCols: n,
        map,
      };
    },
    'jobs:cancel': () => ({ cancelled: false }),
    'reports:build': () => ({
      generatedAt: now(),
      referenceSource: 'phantom-truth',
      knees: knees.length,
      raters: [
        { key: 'reader:Dr Demo', kind: 'reader', name: 'Dr Demo', n: 5 },
        { key: 'model:convnext-kl', kind: 'model', name: 'convnext-kl', n: 9 },
      ],
      vsReference: [
        {
          rater: 'reader:Dr Demo',
          n: 5,
          qwk: { value: 0.81, ciLow: 0.62, ciHigh: 0.93 },
          linearKappa: { value: 0.7, ciLow: 0.5, ciHigh: 0.85 },
          exactAccuracy: 0.6,
          adjacentAccuracy: 1,
          mae: 0.4,
          confusion: [
            [1, 0, 0, 0, 0],
            [0, 1, 1, 0, 0],
            [0, 0, 1, 0, 0],
            [0, 0, 1, 0, 0],
            [0, 0, 0, 0, 0],
          ],
        },
        {
          rater: 'model:convnext-kl',
          n: 9,
          qwk: { value: 1, ciLow: 1, ciHigh: 1 },
          linearKappa: { value: 1, ciLow: 1, ciHigh: 1 },
          exactAccuracy: 1,
          adjacentAccuracy: 1,
          mae: 0,
          confusion: [
            [2, 0, 0, 0, 0],
            [0, 2, 0, 0, 0],
            [0, 0, 2, 0, 0],
            [0, 0, 0, 2, 0],
            [0, 0, 0, 0, 1],
          ],
        },
      ],
      pairwise: [
        {
          a: 'reader:Dr Demo',
          b: 'model:convnext-kl',
          n: 5,
          qwk: { value: 0.81, ciLow: 0.6, ciHigh: 0.95 },
          exactAgreement: 0.6,
        },
      ],
      multiRater: null,
      text: 'Mock report.',
    }),
    'dialogs:savePath': (i: { defaultName: string }) => ({ canceled: false, path: `/tmp/${i.defaultName}` }),
    'exports:labelledCsv': () => ({ path: '/tmp/mock.csv', rows: events.length, bytes: 100, content: null }),
    'exports:htmlReport': () => ({ path: '/tmp/mock.html', rows: 0, bytes: 1000, content: null }),
    'import:samplePhantoms': () => ({
      jobId: null,
      batchId: 1,
      files: 0,
      imported: 0,
      duplicates: 0,
      knees: 0,
      labels: 0,
      cancelled: false,
      errors: [],
    }),
  };

  return buildApi(
    CHANNELS,
    async (channel, raw) => {
      const input = parseInput(channel, raw);
      const h = handlers[channel];
      if (!h) throw new ApiError('UNAVAILABLE', `${channel} is not in the mock`);
      await new Promise((r) => setTimeout(r, 5));
      return h(input as never);
    },
    (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  );
}
