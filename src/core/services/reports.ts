// reports:build and exports:htmlReport over the report module (src/core/report): the full report is
// passed along in `details`; the contract's compact shape is what the renderer draws tables from.
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  ApiError,
  type AgreementStat,
  type ExportResult,
  type ParsedInput,
  type Report,
} from '../../shared/contract';
import {
  buildReportFromDb,
  ReferenceError,
  renderHtml,
  renderText,
  type Report as FullReport,
} from '../report';
import type { Estimate } from '../stats';
import type { ServiceContext } from './context';

const stat = (e: Estimate | undefined): AgreementStat => ({
  value: e?.value ?? null,
  ciLow: e?.lo ?? null,
  ciHigh: e?.hi ?? null,
});

export function buildFullReport(ctx: ServiceContext, input: ParsedInput<'reports:build'>): FullReport {
  try {
    return buildReportFromDb(ctx.db, {
      ...(input.referenceSource ? { reference: { kind: 'labels', source: input.referenceSource } } : {}),
      ...(input.studyId !== undefined ? { studyId: input.studyId } : {}),
      ...(input.readerIds ? { readers: input.readerIds } : {}),
      ...(input.models ? { models: input.models } : {}),
    });
  } catch (e) {
    // No reference labels, unknown rater, nobody to compare: the data cannot make this report yet.
    if (e instanceof ReferenceError) throw new ApiError('CONFLICT', `cannot build the report: ${e.message}`);
    throw e;
  }
}

/** The label source the report used ('csv:truth.csv'), or the reference's name for reader/consensus references. */
function referenceSourceOf(full: FullReport): string {
  const spec = full.reference.spec;
  if (spec.kind !== 'labels') return full.reference.name;
  return spec.source ?? /\(([^()]+)\)\s*$/.exec(full.reference.name)?.[1] ?? full.reference.name;
}

/** The contract's compact report from the full one. Rater keys are '<kind>:<name>'. */
export function toContractReport(full: FullReport): Report {
  const a = full.analysis;
  const kindOf = new Map(a.raters.map((r) => [r.name, r.kind]));
  const key = (name: string): string => `${kindOf.get(name) ?? 'reader'}:${name}`;
  const compared = a.raters.filter((r) => r.kind !== 'reference');
  const nFor = new Map(a.vsReference.map((v) => [v.rater, v.n]));
  const pairwise: Report['pairwise'] = [];
  for (let i = 0; i < a.pairwise.raters.length; i++) {
    for (let j = i + 1; j < a.pairwise.raters.length; j++) {
      const ra = a.pairwise.raters[i]!;
      const rb = a.pairwise.raters[j]!;
      pairwise.push({
        a: key(ra),
        b: key(rb),
        n: a.pairwise.n[i]?.[j] ?? 0,
        qwk: {
          value: a.pairwise.qwk[i]?.[j] ?? null,
          ciLow: a.pairwise.qwkLo?.[i]?.[j] ?? null,
          ciHigh: a.pairwise.qwkHi?.[i]?.[j] ?? null,
        },
        exactAgreement: a.pairwise.exact?.[i]?.[j] ?? null,
      });
    }
  }
  const readersGroup = a.multiRater.find((g) => /reader/i.test(g.label)) ?? a.multiRater[0];
  return {
    generatedAt: full.generatedAt,
    referenceSource: referenceSourceOf(full),
    knees: full.reference.knees,
    raters: compared.map((r) => ({
      key: key(r.name),
      kind: r.kind === 'model' ? 'model' : 'reader',
      name: r.name,
      n: nFor.get(r.name) ?? 0,
    })),
    vsReference: a.vsReference.map((v) => ({
      rater: key(v.rater),
      n: v.n,
      qwk: stat(v.metrics.qwk),
      linearKappa: stat(v.metrics.linearKappa),
      exactAccuracy: v.metrics.exactAccuracy?.value ?? null,
      adjacentAccuracy: v.metrics.adjacentAccuracy?.value ?? null,
      mae: v.metrics.mae?.value ?? null,
      confusion: v.confusion,
    })),
    pairwise,
    multiRater:
      readersGroup && readersGroup.raters.length >= 2
        ? {
            kind: `Fleiss κ (${readersGroup.label})`,
            n: readersGroup.fleiss.n,
            value: stat(readersGroup.fleiss.kappa),
          }
        : null,
    text: renderText(full),
    details: full,
  };
}

export async function reportsBuild(
  input: ParsedInput<'reports:build'>,
  ctx: ServiceContext,
): Promise<Report> {
  return toContractReport(buildFullReport(ctx, input));
}

/** Write `content` to `file` (creating its folder) or hand it back when no path was given. */
export async function deliver(
  content: string,
  file: string | undefined,
  rows: number,
): Promise<ExportResult> {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (file === undefined) return { path: null, rows, bytes, content };
  const abs = path.resolve(file);
  await mkdir(path.dirname(abs), { recursive: true });
  await writeFile(abs, content, 'utf8');
  return { path: abs, rows, bytes, content: null };
}

export async function exportsHtmlReport(
  input: ParsedInput<'exports:htmlReport'>,
  ctx: ServiceContext,
): Promise<ExportResult> {
  const full = buildFullReport(ctx, {
    ...(input.referenceSource ? { referenceSource: input.referenceSource } : {}),
  });
  return deliver(renderHtml(full), input.path, full.analysis.vsReference.length);
}
