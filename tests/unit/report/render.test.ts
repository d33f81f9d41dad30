import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  alignTable,
  buildReport,
  formatEstimate,
  renderHtml,
  renderStudyTableCsv,
  renderText,
  renderTidyCsv,
  studyDataFromLongCsv,
  TIDY_HEADER,
} from '../../../src/core/report';

const evil = '<img src=x onerror=alert(1)>';
function sample(): ReturnType<typeof buildReport> {
  const lines = ['knee,patient,rater,grade,kind'];
  for (let k = 0; k < 40; k++) {
    const t = k % 5;
    lines.push(
      `${k},${k >> 1},ref,${t},reference`,
      `${k},${k >> 1},"${evil}",${(t + (k % 4 === 0 ? 1 : 0)) % 5},reader`,
    );
    lines.push(`${k},${k >> 1},=cmd|' /C calc'!A0,${t},model`);
  }
  return buildReport(studyDataFromLongCsv(lines.join('\n'), 'r.csv'), {
    reference: { kind: 'labels', source: 'ref' },
    bootstrap: { resamples: 100, seed: 1 },
    now: new Date('2026-01-01T00:00:00Z'),
  });
}

describe('study table', () => {
  const r = sample();
  it('has per-grade precision/recall/F1 then adjacent accuracy and QWK, one column per rater', () => {
    const keys = r.studyTable.rows.map((x) => `${x.section}.${x.metric}`);
    expect(keys.slice(0, 4)).toEqual(['KL0.precision', 'KL0.recall', 'KL0.f1', 'KL0.support']);
    expect(keys.slice(20, 22)).toEqual(['overall.adjacentAccuracy', 'overall.qwk']);
    expect(keys).toContain('overall.mae');
    expect(keys).toContain('overall.linearKappa');
    expect(keys).toContain('overall.exactAccuracy');
    expect(r.studyTable.columns.map((c) => c.name)).toEqual([evil, "=cmd|' /C calc'!A0"]);
  });
});

describe('renderers', () => {
  const r = sample();
  it('text: aligned columns, intervals in brackets', () => {
    expect(
      alignTable([
        ['a', '1'],
        ['bbb', '22'],
      ]),
    ).toBe('a     1\nbbb  22');
    const text = renderText(r);
    expect(text).toMatch(
      /Quadratic weighted kappa\s+\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]\s+1\.000 \[1\.000, 1\.000\]/,
    );
    expect(formatEstimate({ value: -0.01, lo: -0.05, hi: 0.02 }, 'decimal')).toBe('-0.010 [-0.050, 0.020]');
    expect(formatEstimate({ value: null, lo: null, hi: null }, 'decimal')).toBe('n/a');
  });

  it('CSV: tidy rows parse back, formulas are escaped', () => {
    const tidy = renderTidyCsv(r);
    const rows = parse(tidy) as string[][];
    expect(rows[0]).toEqual([...TIDY_HEADER]);
    const qwk = rows.find((x) => x[0] === 'study' && x[1] === evil && x[4] === 'qwk')!;
    expect(Number(qwk[5])).toBeCloseTo(r.analysis.vsReference[0]!.metrics.qwk.value!, 12);
    expect(tidy).toContain(`,'=cmd|' /C calc'!A0,`);
    expect(tidy).not.toMatch(/(^|,)=cmd/m);
    const table = parse(renderStudyTableCsv(r)) as string[][];
    expect(table[0]).toEqual(['section', 'metric', evil, "'=cmd|' /C calc'!A0"]);
  });

  it('HTML: escapes every name, embeds data safely, inlines the chart library', () => {
    const html = renderHtml(r);
    expect(html).not.toContain(evil);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const data = html.match(/<script type="application\/json" id="report-data">(.*?)<\/script>/s)![1]!;
    expect(data).not.toContain('<');
    expect((JSON.parse(data) as { pairwise: { raters: string[] } }).pairwise.raters).toContain(evil);
    expect(html).toMatch(/<script>[^]*echarts/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).toContain('@media print');
  });
});
