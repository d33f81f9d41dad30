import { afterAll, describe, expect, it } from 'vitest';
import { buildReportFromDb } from '../../../src/core/report';
import { MISSING, confusionMatrix, pairMetrics } from '../../../src/core/stats';
import { createStudyDb } from './studyDb';

const fx = createStudyDb();
afterAll(() => fx.db.close());
const g8 = (xs: (number | undefined)[]): Int8Array =>
  Int8Array.from(xs, (x) => (x === undefined || x < 0 ? MISSING : x));

describe('buildReportFromDb', () => {
  const report = buildReportFromDb(fx.db, { bootstrap: { resamples: 200, seed: 3 }, now: new Date(0) });

  it('defaults to the label source with the most labels, and says so', () => {
    expect(report.reference.name).toBe('reference (folder)');
    expect(report.notes.join(' ')).toMatch(
      /Several reference label sources \(folder: 57, csv:extra: 5\); used "folder"/,
    );
  });

  it('counts the knees without a reference instead of dropping them silently', () => {
    expect(report.reference.knees).toBe(60);
    expect(report.reference.kneesWithReference).toBe(57);
    expect(report.reference.excluded).toEqual([{ reason: 'no label from "folder"', count: 3 }]);
  });

  it("uses each reader's effective grade (corrections, undo, latest re-read) and the model's latest prediction", () => {
    const ref = g8(fx.folder);
    const cols = report.studyTable.columns.map((c) => c.name);
    expect(cols).toEqual(['Dr A', 'Dr B', 'resnet18-kl']);
    const expectFor = (name: string, grades: number[]): void => {
      const v = report.analysis.vsReference.find((x) => x.rater === name)!;
      const pm = pairMetrics(confusionMatrix(ref, g8(grades)));
      expect(v.confusion.flat()).toEqual(Array.from(confusionMatrix(ref, g8(grades))));
      expect(v.metrics.qwk.value).toBeCloseTo(pm.qwk, 12);
      expect(v.n).toBe(pm.n);
    };
    expectFor('Dr A', fx.drA);
    expectFor('Dr B', fx.drB);
    expectFor('resnet18-kl', fx.model);
    const drB = report.analysis.vsReference.find((x) => x.rater === 'Dr B')!;
    expect(drB.missing).toBe(1); // knee 11 has a label but no Dr B grade
  });

  it('pairs the re-read session with the session it re-reads', () => {
    expect(report.analysis.intraReader).toHaveLength(1);
    const x = report.analysis.intraReader[0]!;
    expect([x.reader, x.first, x.second, x.n]).toEqual(['Dr A', 'A primary', 'A re-read', 20]);
    expect(x.metrics.exactAccuracy.value).toBeCloseTo(18 / 20, 12);
  });

  it('takes a named reader as the reference and leaves them out of the columns', () => {
    const r = buildReportFromDb(fx.db, {
      reference: { kind: 'rater', name: 'Dr B' },
      bootstrap: { resamples: 0 },
    });
    expect(r.studyTable.columns.map((c) => c.name)).toEqual(['Dr A', 'resnet18-kl']);
    expect(r.reference.excluded).toEqual([{ reason: 'not graded by "Dr B"', count: 1 }]);
    expect(r.analysis.pairwise.raters).toEqual(['Dr B', 'Dr A', 'resnet18-kl']);
  });

  it('builds a consensus reference with a stated tie rule', () => {
    const r = buildReportFromDb(fx.db, {
      reference: { kind: 'consensus', readers: ['Dr A', 'Dr B'], rule: 'majority' },
      raters: ['resnet18-kl'],
      bootstrap: { resamples: 0 },
    });
    let disagree = 0;
    for (let i = 0; i < 60; i++) if (fx.drB[i]! >= 0 && fx.drA[i] !== fx.drB[i]) disagree++;
    expect(r.reference.excluded).toEqual([
      { reason: 'graded by fewer than 2 of the 2 consensus readers', count: 1 },
      { reason: 'consensus tie (majority), excluded by the tie rule', count: disagree },
    ]);
    expect(r.reference.kneesWithReference).toBe(60 - 1 - disagree);
    expect(r.notes.join(' ')).toMatch(/Dr A, Dr B contributed to the consensus reference/);
  });

  it('filters readers and models by name and explains unknown names', () => {
    const r = buildReportFromDb(fx.db, { readers: ['Dr A'], models: [], bootstrap: { resamples: 0 } });
    expect(r.studyTable.columns.map((c) => c.name)).toEqual(['Dr A']);
    expect(() => buildReportFromDb(fx.db, { readers: ['Dr Z'] })).toThrow(/no reader named "Dr Z"/);
    expect(() => buildReportFromDb(fx.db, { reference: { kind: 'labels', source: 'nope' } })).toThrow(
      /no reference labels from source "nope" \(sources: folder, csv:extra\)/,
    );
  });
});
