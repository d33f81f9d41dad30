// knees:list / knees:get / knees:setCrop / knees:resetCrop.
import {
  ApiError,
  type CurrentCrop,
  type KneeDetail,
  type KneeList,
  type KneeListItem,
  type ParsedInput,
} from '../../shared/contract';
import { getImage } from '../db/repositories/images';
import {
  appendCropEdit,
  getKnee,
  listKnees,
  type CurrentCrop as DbCrop,
  type KneeSummary,
} from '../db/repositories/knees';
import type { ServiceContext } from './context';
import { notFound } from './errors';
import { latestPredictions, sameCrop, type StoredPrediction } from './predictions-view';
import { assertKneeInScope, blindingSession, resolveScope, type Scope } from './scope';
import { toGradeEvent } from './grade-view';
import { effectiveGrades } from '../db/repositories/gradeEvents';

export function toContractCrop(
  c: DbCrop | (KneeSummary['autoCrop'] & { source: 'auto' | 'whole-image' }),
): CurrentCrop {
  return { x: c.x, y: c.y, w: c.w, h: c.h, source: c.source === 'edit' ? 'edited' : c.source };
}

function isCurrent(p: StoredPrediction, k: KneeSummary): boolean {
  return p.pixelSha256 === k.image.pixelSha256 && sameCrop(p.crop, k.crop);
}

type Grades = KneeSummary['grades'];
type Grade = Grades[number];

/**
 * What one scope may see of each knee. A knee is blinded when the asking session is blinded, or (outside
 * a session) when it is in one of the asking reader's unfinished blinded sessions; then only the
 * reader's own grade in that session is visible. In an unblinded session the session's own grade stands
 * for the reader, whatever they entered elsewhere.
 */
class Visibility {
  private readonly own = new Map<string, Grade>();

  constructor(
    ctx: ServiceContext,
    private readonly scope: Scope,
    kneeIds: readonly number[],
  ) {
    if (scope.readerId !== null && (scope.session || scope.openBlind.size > 0)) {
      for (const g of effectiveGrades(ctx.db, { kneeIds, readerIds: [scope.readerId], perSession: true })) {
        this.own.set(`${g.sessionId}:${g.kneeId}`, g);
      }
    }
  }

  blinded(kneeId: number): boolean {
    return blindingSession(this.scope, kneeId) !== null;
  }

  grades(k: KneeSummary): Grades {
    const blindIn = blindingSession(this.scope, k.id);
    if (blindIn !== null) {
      // Only the reader's own grade: the one in the asking session, else the one in the blinding session.
      const g = this.own.get(`${this.scope.session?.id ?? blindIn}:${k.id}`);
      return g ? [g] : [];
    }
    if (!this.scope.session) return k.grades;
    const g = this.own.get(`${this.scope.session.id}:${k.id}`);
    return [...k.grades.filter((x) => x.readerId !== this.scope.readerId), ...(g ? [g] : [])];
  }

  models(kneeId: number): boolean {
    return this.scope.showModels && !this.blinded(kneeId);
  }
}

function newestReference(k: KneeSummary): number | null {
  // The repository orders labels by source; prefer a reader-independent truth when several exist.
  const truth = k.referenceLabels.find((l) => l.source === 'phantom-truth');
  return (truth ?? k.referenceLabels[0])?.klg ?? null;
}

const LEAKY_SORTS = new Set(['reference', 'spread']);

export async function kneesList(input: ParsedInput<'knees:list'>, ctx: ServiceContext): Promise<KneeList> {
  const scope = resolveScope(ctx.db, input);
  if (
    scope.blinded &&
    (input.disagreement !== undefined || input.referenceKlg !== undefined || LEAKY_SORTS.has(input.sort))
  ) {
    throw new ApiError(
      'BLINDED',
      'a blinded session cannot filter or sort by reference grades, model grades or disagreement',
    );
  }
  let knees = listKnees(ctx.db, {
    ...(input.studyId !== undefined ? { studyId: input.studyId } : {}),
    ...(scope.kneeIds ? { kneeIds: [...scope.kneeIds] } : {}),
  });
  // In a session, session order is the natural order.
  if (scope.session && input.sort === 'study') {
    const pos = new Map(scope.session.kneeOrder.map((id, i) => [id, i]));
    knees = knees.sort((a, b) => pos.get(a.id)! - pos.get(b.id)!);
  }
  const vis = new Visibility(
    ctx,
    scope,
    knees.map((k) => k.id),
  );
  const preds = scope.showModels
    ? latestPredictions(
        ctx.db,
        knees.map((k) => k.id),
      ).filter((p) => vis.models(p.kneeId))
    : [];
  const predsByKnee = new Map<number, StoredPrediction[]>();
  for (const p of preds) predsByKnee.set(p.kneeId, [...(predsByKnee.get(p.kneeId) ?? []), p]);

  let items: KneeListItem[] = knees.map((k) => {
    const grades = vis.grades(k);
    const blind = vis.blinded(k.id);
    const modelKlg: Record<string, number> = {};
    for (const p of predsByKnee.get(k.id) ?? []) if (isCurrent(p, k)) modelKlg[p.model] = p.klg;
    const ratings = [...grades.map((g) => g.klg), ...Object.values(modelKlg)];
    const mine = scope.readerId === null ? undefined : grades.find((g) => g.readerId === scope.readerId);
    return {
      id: k.id,
      imageId: k.imageId,
      studyId: k.study.id,
      side: k.side,
      patient: k.patient.pseudonym,
      studyDate: k.study.date,
      sourceFormat: k.image.sourceFormat,
      referenceKlg: blind ? null : newestReference(k),
      myKlg: mine?.klg ?? null,
      readerCount: blind ? null : new Set(k.grades.map((g) => g.readerId)).size,
      modelKlg,
      spread: blind || ratings.length < 2 ? null : Math.max(...ratings) - Math.min(...ratings),
    };
  });

  if (input.ungradedByReaderId !== undefined) {
    const r = input.ungradedByReaderId;
    const graded = new Set(knees.filter((k) => vis.grades(k).some((g) => g.readerId === r)).map((k) => k.id));
    items = items.filter((i) => !graded.has(i.id));
  }
  if (input.graded !== undefined) {
    const withGrade = new Set(knees.filter((k) => vis.grades(k).length > 0).map((k) => k.id));
    items = items.filter((i) => withGrade.has(i.id) === input.graded);
  }
  if (input.disagreement !== undefined) {
    items = items.filter((i) => (i.spread !== null && i.spread >= input.minSpread) === input.disagreement);
  }
  if (input.referenceKlg !== undefined) items = items.filter((i) => i.referenceKlg === input.referenceKlg);

  const dir = input.order === 'desc' ? -1 : 1;
  const nullsLast = (a: number | null, b: number | null): number =>
    a === b ? 0 : a === null ? 1 : b === null ? -1 : dir * (a - b);
  if (input.sort === 'id') items.sort((a, b) => dir * (a.id - b.id));
  else if (input.sort === 'reference')
    items.sort((a, b) => nullsLast(a.referenceKlg, b.referenceKlg) || a.id - b.id);
  else if (input.sort === 'spread') items.sort((a, b) => nullsLast(a.spread, b.spread) || a.id - b.id);
  else if (input.sort === 'patient')
    items.sort((a, b) => dir * a.patient.localeCompare(b.patient) || a.id - b.id);
  else if (dir === -1) items.reverse();

  return { items: items.slice(input.offset, input.offset + input.limit), total: items.length };
}

export async function kneesGet(input: ParsedInput<'knees:get'>, ctx: ServiceContext): Promise<KneeDetail> {
  const scope = resolveScope(ctx.db, input);
  assertKneeInScope(scope, input.kneeId);
  const k = getKnee(ctx.db, input.kneeId);
  if (!k) throw notFound('knee', input.kneeId);
  const img = getImage(ctx.db, k.imageId);
  if (!img) throw notFound('image', k.imageId);
  const vis = new Visibility(ctx, scope, [k.id]);
  const blind = vis.blinded(k.id);
  const preds = vis.models(k.id) ? latestPredictions(ctx.db, [k.id]) : [];
  return {
    id: k.id,
    side: k.side,
    studyId: k.study.id,
    patient: k.patient.pseudonym,
    studyDate: k.study.date,
    image: {
      id: img.id,
      rows: img.rows,
      columns: img.columns,
      frames: img.frames,
      sourceFormat: img.sourceFormat,
      modality: img.modality,
      laterality: img.laterality,
      view: img.view,
      pixelSpacing: img.pixelSpacing,
      isJointCrop: img.isJointCrop,
      appliedSteps: img.appliedSteps,
    },
    crop: toContractCrop(k.crop),
    autoCrop: toContractCrop({ ...k.autoCrop, source: k.autoCropSource }),
    blinded: blind,
    reference: blind ? [] : k.referenceLabels,
    grades: vis
      .grades(k)
      .map((g) => ({ readerId: g.readerId, readerName: g.readerName, event: toGradeEvent(g) })),
    predictions: preds.map((p) => ({
      model: p.model,
      version: p.version,
      klg: p.klg,
      probs: p.probs,
      current: isCurrent(p, k),
      provider: p.provider,
      createdAt: p.createdAt,
    })),
  };
}

function checkCropInImage(k: KneeSummary, c: { x: number; y: number; w: number; h: number }): void {
  const { rows, columns } = k.image;
  if (c.x >= columns || c.y >= rows || c.x + c.w <= 0 || c.y + c.h <= 0) {
    throw new ApiError(
      'INVALID_INPUT',
      `knee ${k.id}: the crop ${JSON.stringify(c)} lies outside the ${columns}x${rows} image`,
    );
  }
}

export async function kneesSetCrop(
  input: ParsedInput<'knees:setCrop'>,
  ctx: ServiceContext,
): Promise<CurrentCrop> {
  const k = getKnee(ctx.db, input.kneeId);
  if (!k) throw notFound('knee', input.kneeId);
  checkCropInImage(k, input.crop);
  appendCropEdit(ctx.db, { kneeId: k.id, readerId: input.readerId ?? null, crop: input.crop });
  ctx.emit('data:changed', { what: 'knees' });
  return toContractCrop(getKnee(ctx.db, k.id)!.crop);
}

export async function kneesResetCrop(
  input: ParsedInput<'knees:resetCrop'>,
  ctx: ServiceContext,
): Promise<CurrentCrop> {
  const k = getKnee(ctx.db, input.kneeId);
  if (!k) throw notFound('knee', input.kneeId);
  // crop_edits is append-only: a reset is a new edit equal to the auto crop.
  appendCropEdit(ctx.db, { kneeId: k.id, readerId: input.readerId ?? null, crop: k.autoCrop });
  ctx.emit('data:changed', { what: 'knees' });
  return toContractCrop(getKnee(ctx.db, k.id)!.crop);
}
