// The IPC contract: every request channel `domain:verb` with its zod input schema and its output type,
// and every event channel with its payload type.
//
// One map serves three transports: Electron IPC (preload -> main ipc-router -> core utility process),
// the localhost HTTP bridge (browser tests), and direct calls in tests. Every transport validates the
// input with the schema here before a service sees it. Browser-safe: imports nothing from Node.
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

const id = z.number().int().positive();
const klg = z.number().int().min(0).max(4);
const oarsi = z.number().int().min(0).max(3);
/** A client-chosen id for a long job, so progress events can be matched and the job cancelled. */
const jobId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');
const filePath = z.string().min(1).max(4096);
const empty = z.object({}).strict().default({});

export const cropSchema = z
  .object({
    x: z.number().finite(),
    y: z.number().finite(),
    w: z.number().finite().positive(),
    h: z.number().finite().positive(),
  })
  .strict();
export type Crop = z.infer<typeof cropSchema>;

export type Side = 'L' | 'R';
export type SourceFormat = 'dicom' | 'png' | 'jpeg' | 'webp';

// ---------------------------------------------------------------------------------------------
// Output types
// ---------------------------------------------------------------------------------------------

export interface AppInfo {
  version: string;
  /** 'electron' in the desktop app, 'bridge' in the browser test harness, 'cli' in the headless CLI. */
  transport: 'electron' | 'bridge' | 'cli';
  dbPath: string;
  schemaVersion: number;
  modelsDir: string;
  platform: string;
}

export interface StudySummary {
  id: number;
  studyUid: string;
  /** The patient's pseudonym; identifiers never leave the core through this contract. */
  patient: string;
  studyDate: string | null;
  description: string | null;
  importedAt: string;
  imageCount: number;
  kneeCount: number;
}

export interface KneeListItem {
  id: number;
  imageId: number;
  studyId: number;
  side: Side;
  patient: string;
  studyDate: string | null;
  sourceFormat: SourceFormat;
  /** Reference grade (newest source), null if none or if the caller is in a blinded session. */
  referenceKlg: number | null;
  /** The asking reader's effective grade (when `readerId` was given). */
  myKlg: number | null;
  /** Number of readers with an effective grade (null when blinded). */
  readerCount: number | null;
  /** Each model's latest predicted grade, by model name (empty when blinded). */
  modelKlg: Record<string, number>;
  /** max - min over effective reader grades and model grades (null when < 2 ratings or blinded). */
  spread: number | null;
}

export interface KneeList {
  items: KneeListItem[];
  /** Number of knees matching the filter, before limit/offset. */
  total: number;
}

export interface ImageInfo {
  id: number;
  rows: number;
  columns: number;
  frames: number;
  sourceFormat: SourceFormat;
  modality: string | null;
  laterality: 'L' | 'R' | 'B' | null;
  view: string | null;
  pixelSpacing: { row: number; col: number; source: 'PixelSpacing' | 'ImagerPixelSpacing' } | null;
  isJointCrop: boolean;
  appliedSteps: string[];
}

export interface CurrentCrop extends Crop {
  /** 'auto' (joint localiser), 'whole-image' (image is already a crop), 'edited' (a reader's correction). */
  source: 'auto' | 'whole-image' | 'edited';
}

export interface GradeEvent {
  id: number;
  kneeId: number;
  readerId: number;
  sessionId: number | null;
  kind: 'grade' | 'retract';
  klg: number | null;
  confidence: number | null;
  osteophyte: number | null;
  jsn: number | null;
  comment: string | null;
  timeSpentMs: number | null;
  retracts: number | null;
  createdAt: string;
}

export interface ReaderGrade {
  readerId: number;
  readerName: string;
  /** The reader's effective grade event (latest unretracted 'grade'). */
  event: GradeEvent;
}

export interface ModelPrediction {
  model: string;
  version: string;
  klg: number;
  /** Softmax probabilities KL0..KL4. */
  probs: number[];
  /** True when computed for the knee's current crop and pixels; false for an older crop. */
  current: boolean;
  provider: string;
  createdAt: string;
}

export interface KneeDetail {
  id: number;
  side: Side;
  studyId: number;
  patient: string;
  studyDate: string | null;
  image: ImageInfo;
  crop: CurrentCrop;
  /** The auto crop, to offer "reset crop". */
  autoCrop: CurrentCrop;
  /** True when the answer was filtered for a blinded session. */
  blinded: boolean;
  /** Reference labels (empty when blinded). */
  reference: { source: string; klg: number }[];
  /** Effective grades: the asking reader's only when blinded, else every reader's. */
  grades: ReaderGrade[];
  /** Model predictions (empty when blinded unless the session is AI-aided). */
  predictions: ModelPrediction[];
}

export interface VoiWindow {
  center: number;
  width: number;
  explanation?: string;
}

/**
 * A film's pixels for the viewer. `data` holds rows*columns little-endian unsigned 16-bit values `s`;
 * the modality value is `s * scale + offset` (windows are in modality values). For PNG/JPEG/WebP
 * images the values are the 8-bit greys (scale 1, offset 0). Use `pixelsAsUint16` to view `data`.
 */
export interface ImagePixels {
  imageId: number;
  rows: number;
  columns: number;
  frame: number;
  frames: number;
  data: Uint8Array;
  scale: number;
  offset: number;
  /** Range of the modality values. */
  min: number;
  max: number;
  /** The file's windows, in file order; a VOI LUT without windows comes as the linear window over its rising part. */
  windows: VoiWindow[];
  /** MONOCHROME1 xor presentation LUT INVERSE: show low values bright. */
  invert: boolean;
  pixelSpacing: ImageInfo['pixelSpacing'];
  sourceFormat: SourceFormat;
}

export interface Reader {
  id: number;
  name: string;
  role: string;
  createdAt: string;
}

export type SessionStatus = 'active' | 'paused' | 'completed';

export interface SessionSummary {
  id: number;
  readerId: number;
  readerName: string;
  name: string;
  kind: 'primary' | 'reread';
  rereadOf: number | null;
  washoutDays: number | null;
  blinded: boolean;
  aiAided: boolean;
  /** The seed the reading order was shuffled with (recorded so the order can be reproduced). */
  seed: number;
  status: SessionStatus;
  /** Knees in the session and how many of them this reader has graded in this session. */
  total: number;
  done: number;
  createdAt: string;
  updatedAt: string;
}

export interface SessionDetail extends SessionSummary {
  /** Knees in reading order, with whether each has an effective grade in this session. */
  items: { position: number; kneeId: number; graded: boolean; klg: number | null }[];
}

export interface SessionNext {
  session: SessionSummary;
  /** The first ungraded knee in reading order, or null when the session is complete. */
  next: { kneeId: number; position: number; total: number } | null;
}

export interface UndoResult {
  retractEventId: number;
  retractedEventId: number;
  /** The reader's effective grade after the undo (an earlier grade may become effective again). */
  effective: GradeEvent | null;
}

export type ModelStatus = 'ready' | 'not-installed' | 'invalid';

export interface ModelInfo {
  name: string;
  version: string | null;
  approach: 'end-to-end' | 'embedding' | 'embedding-head' | null;
  architecture: string | null;
  status: ModelStatus;
  /** Why it is not ready, e.g. "model.onnx missing: run training/... to export it". */
  reason: string | null;
  inputSize: number | null;
  /** Validation metrics from the model card. */
  validation: { split: string; n: number; qwk: number; exactAccuracy: number; mae: number } | null;
  training: { data: string; licence: string; attribution: string } | null;
  /** Knees with a current prediction from this model. */
  predictedKnees: number;
}

export interface InferenceResult {
  jobId: string | null;
  computed: number;
  cached: number;
  cancelled: boolean;
  failures: { kneeId: number; model: string; reason: string }[];
}

export interface Explanation {
  kneeId: number;
  model: string;
  klg: number;
  probs: number[];
  /** The crop the map covers, in image pixels. */
  crop: Crop;
  /** Occlusion sensitivity grid, row-major, `gridRows` x `gridCols`, normalised to 0..1. */
  gridRows: number;
  gridCols: number;
  map: number[];
}

export interface AgreementStat {
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface RaterSummary {
  /** 'reader:<name>' or 'model:<name>'. */
  key: string;
  kind: 'reader' | 'model';
  name: string;
  n: number;
}

export interface Report {
  generatedAt: string;
  referenceSource: string | null;
  knees: number;
  raters: RaterSummary[];
  /** Each rater against the reference. */
  vsReference: {
    rater: string;
    n: number;
    qwk: AgreementStat;
    linearKappa: AgreementStat;
    exactAccuracy: number | null;
    adjacentAccuracy: number | null;
    mae: number | null;
    /** confusion[reference][rater], 5x5. */
    confusion: number[][];
  }[];
  /** Every pair of raters on the knees both rated. */
  pairwise: { a: string; b: string; n: number; qwk: AgreementStat; exactAgreement: number | null }[];
  /** Across all readers (null with fewer than 2 readers). */
  multiRater: { kind: string; n: number; value: AgreementStat } | null;
  /** Plain-text rendering, for copying into a manuscript draft. */
  text: string;
  /** The stats module's full result, for renderers that want more. */
  details?: unknown;
}

export interface ExportResult {
  /** Where the file was written, or null when `path` was not given (content returned instead). */
  path: string | null;
  rows: number;
  bytes: number;
  content: string | null;
}

export interface ImportSummary {
  jobId: string | null;
  batchId: number | null;
  files: number;
  imported: number;
  duplicates: number;
  knees: number;
  labels: number;
  cancelled: boolean;
  errors: { path: string; code: string; reason: string }[];
}

export interface DialogPaths {
  canceled: boolean;
  paths: string[];
}

export interface DialogSavePath {
  canceled: boolean;
  path: string | null;
}

// ---------------------------------------------------------------------------------------------
// Input schemas
// ---------------------------------------------------------------------------------------------

const sessionScope = {
  /** When given, the answer is filtered as that session demands (blinding) and `readerId` is the session's. */
  sessionId: id.optional(),
  readerId: id.optional(),
};

export const kneesListInput = z
  .object({
    studyId: id.optional(),
    /** Knees this reader has no effective grade for. */
    ungradedByReaderId: id.optional(),
    /** Knees with (true) or without (false) any effective reader grade. */
    graded: z.boolean().optional(),
    /** Knees whose ratings (readers and models) differ by at least `minSpread` grades (default 1). */
    disagreement: z.boolean().optional(),
    minSpread: z.number().int().min(1).max(4).default(1),
    referenceKlg: klg.optional(),
    sort: z.enum(['study', 'id', 'reference', 'spread', 'patient']).default('study'),
    order: z.enum(['asc', 'desc']).default('asc'),
    limit: z.number().int().min(1).max(10_000).default(500),
    offset: z.number().int().min(0).default(0),
    ...sessionScope,
  })
  .strict();

export const sessionCreateInput = z
  .object({
    readerId: id,
    name: z.string().trim().min(1).max(200),
    /** Which knees: an explicit list, or all knees of one study, or (neither) every knee. */
    kneeIds: z.array(id).min(1).max(100_000).optional(),
    studyId: id.optional(),
    blinded: z.boolean().default(true),
    aiAided: z.boolean().default(false),
    /** Seed for the reading order; chosen at random (and recorded) when omitted. */
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    /** A re-read of this earlier session's knees, by the same reader, after a washout. */
    rereadOf: id.optional(),
    washoutDays: z.number().int().min(0).max(3650).default(28),
    /** Create the re-read even before the washout has passed (recorded in the session name). */
    force: z.boolean().default(false),
  })
  .strict()
  .refine((v) => !(v.kneeIds && v.studyId), { message: 'give kneeIds or studyId, not both' })
  .refine((v) => !(v.rereadOf && (v.kneeIds || v.studyId)), {
    message: 'a re-read takes the knees of the session it re-reads; do not give kneeIds or studyId',
  })
  .refine((v) => !(v.blinded && v.aiAided), { message: 'a session cannot be both blinded and AI-aided' });

export const gradeSubmitInput = z
  .object({
    kneeId: id,
    readerId: id,
    sessionId: id.optional(),
    klg,
    confidence: z.number().int().min(1).max(5).optional(),
    osteophyte: oarsi.optional(),
    jsn: oarsi.optional(),
    comment: z.string().max(2000).optional(),
    timeSpentMs: z.number().int().min(0).max(86_400_000).optional(),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------------

/** Declares one channel: its input schema and (type-only) output. */
function channel<I extends z.ZodType, O>(input: I): { input: I; output: O } {
  return { input, output: undefined as unknown as O };
}

export const contract = {
  'app:info': channel<typeof empty, AppInfo>(empty),

  'studies:list': channel<typeof empty, StudySummary[]>(empty),

  'knees:list': channel<typeof kneesListInput, KneeList>(kneesListInput),
  'knees:get': (() => {
    const s = z.object({ kneeId: id, ...sessionScope }).strict();
    return channel<typeof s, KneeDetail>(s);
  })(),
  'knees:setCrop': (() => {
    const s = z.object({ kneeId: id, readerId: id.optional(), crop: cropSchema }).strict();
    return channel<typeof s, CurrentCrop>(s);
  })(),
  'knees:resetCrop': (() => {
    const s = z.object({ kneeId: id, readerId: id.optional() }).strict();
    return channel<typeof s, CurrentCrop>(s);
  })(),

  'images:pixels': (() => {
    const s = z.object({ imageId: id, frame: z.number().int().min(0).default(0) }).strict();
    return channel<typeof s, ImagePixels>(s);
  })(),

  'readers:list': channel<typeof empty, Reader[]>(empty),
  'readers:create': (() => {
    const s = z
      .object({
        name: z.string().trim().min(1).max(100),
        role: z.enum(['reader', 'resident', 'expert', 'admin']).default('reader'),
      })
      .strict();
    return channel<typeof s, Reader>(s);
  })(),

  'sessions:create': channel<typeof sessionCreateInput, SessionSummary>(sessionCreateInput),
  'sessions:list': (() => {
    const s = z.object({ readerId: id.optional() }).strict().default({});
    return channel<typeof s, SessionSummary[]>(s);
  })(),
  'sessions:get': (() => {
    const s = z.object({ sessionId: id }).strict();
    return channel<typeof s, SessionDetail>(s);
  })(),
  'sessions:pause': (() => {
    const s = z.object({ sessionId: id }).strict();
    return channel<typeof s, SessionSummary>(s);
  })(),
  'sessions:resume': (() => {
    const s = z.object({ sessionId: id }).strict();
    return channel<typeof s, SessionSummary>(s);
  })(),
  'sessions:next': (() => {
    const s = z.object({ sessionId: id }).strict();
    return channel<typeof s, SessionNext>(s);
  })(),

  'grades:submit': channel<typeof gradeSubmitInput, GradeEvent>(gradeSubmitInput),
  'grades:undo': (() => {
    const s = z.object({ kneeId: id, readerId: id, sessionId: id.optional() }).strict();
    return channel<typeof s, UndoResult>(s);
  })(),
  'grades:history': (() => {
    const s = z.object({ kneeId: id, readerId: id }).strict();
    return channel<typeof s, GradeEvent[]>(s);
  })(),

  'models:list': channel<typeof empty, ModelInfo[]>(empty),

  'inference:run': (() => {
    const s = z
      .object({
        jobId: jobId.optional(),
        /** Model names; default every ready model. */
        models: z.array(z.string().min(1)).optional(),
        /** Knees; default every knee (of `studyId` when given). */
        kneeIds: z.array(id).optional(),
        studyId: id.optional(),
        /** Recompute even when a cached prediction for the same pixels and crop exists. */
        force: z.boolean().default(false),
      })
      .strict();
    return channel<typeof s, InferenceResult>(s);
  })(),
  'inference:explain': (() => {
    const s = z
      .object({
        kneeId: id,
        model: z.string().min(1),
        gridSize: z.number().int().min(2).max(32).default(8),
        ...sessionScope,
      })
      .strict();
    return channel<typeof s, Explanation>(s);
  })(),

  'jobs:cancel': (() => {
    const s = z.object({ jobId }).strict();
    return channel<typeof s, { cancelled: boolean }>(s);
  })(),

  'reports:build': (() => {
    const s = z
      .object({
        /** Reference label source (e.g. 'phantom-truth', 'folder'); default: the most common one. */
        referenceSource: z.string().min(1).optional(),
        readerIds: z.array(id).optional(),
        models: z.array(z.string().min(1)).optional(),
        studyId: id.optional(),
      })
      .strict()
      .default({});
    return channel<typeof s, Report>(s);
  })(),

  'exports:labelledCsv': (() => {
    const s = z
      .object({
        /** Write here; omit to get the CSV text back in `content`. */
        path: filePath.optional(),
        /** Pseudonyms instead of patient identifiers (default). */
        deidentify: z.boolean().default(true),
        readerIds: z.array(id).optional(),
        models: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .default({ deidentify: true });
    return channel<typeof s, ExportResult>(s);
  })(),
  'exports:htmlReport': (() => {
    const s = z
      .object({ path: filePath.optional(), referenceSource: z.string().min(1).optional() })
      .strict()
      .default({});
    return channel<typeof s, ExportResult>(s);
  })(),

  'import:run': (() => {
    const s = z
      .object({
        jobId: jobId.optional(),
        /** Files or folders (searched recursively). */
        paths: z.array(filePath).min(1).max(10_000),
        /** Optional CSV of reference labels to attach. */
        labelsCsv: filePath.optional(),
      })
      .strict();
    return channel<typeof s, ImportSummary>(s);
  })(),
  /** Generate the synthetic bilateral knee phantoms (with ground-truth grades) and import them. */
  'import:samplePhantoms': (() => {
    const s = z
      .object({
        jobId: jobId.optional(),
        count: z.number().int().min(1).max(200).default(6),
        seed: z.number().int().min(0).default(1),
      })
      .strict()
      .default({ count: 6, seed: 1 });
    return channel<typeof s, ImportSummary>(s);
  })(),

  // Dialogs are answered by the Electron main process (native dialogs) or, in the bridge, by the
  // answers the test harness configured. Paths returned by a dialog are the only ones the desktop
  // app accepts in import:run / exports:* (the main process keeps that allow-list).
  'dialogs:openPaths': (() => {
    const s = z
      .object({
        purpose: z.enum(['import', 'labels']),
        /** Pick folders instead of files. */
        directories: z.boolean().default(false),
      })
      .strict();
    return channel<typeof s, DialogPaths>(s);
  })(),
  'dialogs:savePath': (() => {
    const s = z
      .object({ purpose: z.enum(['csv', 'html']), defaultName: z.string().min(1).max(255) })
      .strict();
    return channel<typeof s, DialogSavePath>(s);
  })(),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const CHANNELS = Object.keys(contract) as Channel[];

/** What a caller passes (defaults optional). */
export type Input<C extends Channel> = z.input<Contract[C]['input']>;
/** What a service receives after validation (defaults filled in). */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type Output<C extends Channel> = Contract[C]['output'];

/** Channels only the Electron main process / bridge answers; the core services never see them. */
export const SHELL_CHANNELS = ['dialogs:openPaths', 'dialogs:savePath'] as const satisfies readonly Channel[];
export type ShellChannel = (typeof SHELL_CHANNELS)[number];
export type ServiceChannel = Exclude<Channel, ShellChannel>;

export function isChannel(v: unknown): v is Channel {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(contract, v);
}

// ---------------------------------------------------------------------------------------------
// Events (core -> UI)
// ---------------------------------------------------------------------------------------------

export interface ImportProgress {
  jobId: string | null;
  done: number;
  total: number;
  /** The file just finished. */
  path: string | null;
  imported: number;
  errors: number;
}

export interface InferenceProgress {
  jobId: string | null;
  done: number;
  total: number;
  model: string | null;
  kneeId: number | null;
}

export interface Events {
  'import:progress': ImportProgress;
  'inference:progress': InferenceProgress;
  /** The database changed outside the asking view (e.g. the CLI or a menu action): refetch lists. */
  'data:changed': {
    what: 'studies' | 'knees' | 'grades' | 'sessions' | 'readers' | 'predictions' | 'models';
  };
  /** A menu accelerator the renderer should act on (desktop app only). */
  'menu:command': { command: 'import' | 'export-csv' | 'export-html' | 'report' | 'worklist' | 'about' };
}
export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = [
  'import:progress',
  'inference:progress',
  'data:changed',
  'menu:command',
];

// ---------------------------------------------------------------------------------------------
// Errors and the envelope every transport uses
// ---------------------------------------------------------------------------------------------

export type ApiErrorCode =
  | 'INVALID_INPUT' // failed the contract's schema
  | 'NOT_FOUND' // a referenced row does not exist
  | 'CONFLICT' // e.g. session paused/completed, reader name taken
  | 'BLINDED' // the session's blinding forbids this
  | 'WASHOUT' // re-read requested before the washout has passed
  | 'UNAVAILABLE' // e.g. model not installed, dialogs in a headless bridge
  | 'CANCELLED'
  | 'FORBIDDEN' // e.g. a path the user did not choose in a dialog
  | 'INTERNAL';

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  /** Per-field problems for INVALID_INPUT. */
  issues?: { path: string; message: string }[];
}

/** The one error type every client throws; `code` says what kind of failure it was. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly issues: ApiErrorBody['issues'];
  constructor(code: ApiErrorCode, message: string, issues?: ApiErrorBody['issues']) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = issues;
  }
  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }

  /**
   * Whatever a call rejected with, as an ApiError. The Electron preload rejects with a plain
   * `{ name: 'ApiError', code, message, issues }` object (contextBridge drops custom properties of
   * Error objects but copies plain objects whole); the bridge client rejects with ApiError itself.
   */
  static from(e: unknown): ApiError {
    if (e instanceof ApiError) return e;
    if (e && typeof e === 'object') {
      const o = e as { code?: unknown; message?: unknown; issues?: unknown };
      if (
        typeof o.code === 'string' &&
        typeof o.message === 'string' &&
        API_ERROR_CODES.has(o.code as ApiErrorCode)
      ) {
        return new ApiError(
          o.code as ApiErrorCode,
          o.message,
          Array.isArray(o.issues) ? (o.issues as ApiErrorBody['issues']) : undefined,
        );
      }
      if (e instanceof Error) return new ApiError('INTERNAL', e.message);
    }
    return new ApiError('INTERNAL', String(e));
  }
}

const API_ERROR_CODES = new Set<ApiErrorCode>([
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'BLINDED',
  'WASHOUT',
  'UNAVAILABLE',
  'CANCELLED',
  'FORBIDDEN',
  'INTERNAL',
]);

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/** Validate `raw` against the channel's schema; throws ApiError('INVALID_INPUT') naming each bad field. */
export function parseInput<C extends Channel>(channelName: C, raw: unknown): ParsedInput<C> {
  const schema = contract[channelName].input as z.ZodType;
  const res = schema.safeParse(raw === undefined ? undefined : raw);
  if (!res.success) {
    const issues = res.error.issues.map((i) => ({
      path: i.path.map(String).join('.') || '(input)',
      message: i.message,
    }));
    throw new ApiError(
      'INVALID_INPUT',
      `${channelName}: invalid input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return res.data as ParsedInput<C>;
}

/** View an ImagePixels' bytes as 16-bit values (copies only when the bytes are not 2-byte aligned). */
export function pixelsAsUint16(p: Pick<ImagePixels, 'data'>): Uint16Array {
  const d = p.data;
  if (d.byteOffset % 2 === 0) return new Uint16Array(d.buffer, d.byteOffset, d.byteLength >> 1);
  return new Uint16Array(d.slice().buffer);
}
