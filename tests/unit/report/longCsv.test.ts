import { describe, expect, it } from 'vitest';
import { parseGradeText, studyDataFromLongCsv } from '../../../src/core/report';
import { MISSING } from '../../../src/core/stats';

describe('long-format CSV', () => {
  it('reads knees, raters, patients, kinds and re-read sessions', () => {
    const d = studyDataFromLongCsv(
      [
        'Knee,Patient,Rater,Grade,Session,Kind',
        'a,p1,truth,2,,reference',
        'b,p1,truth,3,,reference',
        'a,p1,Dr A,KL2,s1,reader',
        'b,p1,Dr A,2,s1,reader',
        'a,p1,Dr A,1,s2,reader',
        'a,p1,net,2.0,,model',
        'c,p2,net,4,,model',
      ].join('\n'),
      'x.csv',
    );
    expect(d.knees).toEqual([
      { id: 'a', patient: 'p1' },
      { id: 'b', patient: 'p1' },
      { id: 'c', patient: 'p2' },
    ]);
    expect(d.labelSources.map((s) => [s.source, Array.from(s.grades)])).toEqual([['truth', [2, 3, MISSING]]]);
    expect(d.raters.map((r) => [r.name, r.kind, Array.from(r.grades)])).toEqual([
      ['Dr A', 'reader', [2, 2, MISSING]],
      ['net', 'model', [2, MISSING, 4]],
    ]);
    expect(d.rereads).toHaveLength(1);
    expect([d.rereads[0]!.first, d.rereads[0]!.second, Array.from(d.rereads[0]!.secondGrades)]).toEqual([
      's1',
      's2',
      [1, MISSING, MISSING],
    ]);
    expect(d.warnings).toEqual([]);
  });

  it('skips bad rows with their line number and keeps the rest', () => {
    const d = studyDataFromLongCsv('knee,rater,grade\na,R,2\nb,R,5\nc,R,x\n,R,1\na,R,3\nd,R,\n', 'y.csv');
    // knees a and d (b and c only had bad rows); d's empty grade is "not graded"
    expect(d.knees.map((k) => k.id)).toEqual(['a', 'd']);
    expect(Array.from(d.raters[0]!.grades)).toEqual([2, MISSING]);
    expect(d.warnings).toEqual([
      'y.csv:3: row skipped: grade "5" is not a KL grade 0-4',
      'y.csv:4: row skipped: grade "x" is not a KL grade 0-4',
      'y.csv:5: row skipped: empty knee or rater',
      'y.csv:6: rater "R" graded knee "a" twice (2, then 3); kept the first',
      "y.csv: no patient column, so each knee is resampled on its own; intervals are too narrow if a patient's two knees are both listed",
    ]);
  });

  it('names the missing columns', () => {
    expect(() => studyDataFromLongCsv('knee,reader,klg\n', 'z.csv')).toThrow(
      /z\.csv: missing column\(s\) rater, grade/,
    );
  });

  it('parses grade spellings', () => {
    expect([
      parseGradeText('3'),
      parseGradeText('KL 4'),
      parseGradeText(' 0.0 '),
      parseGradeText(''),
      parseGradeText('2.5'),
    ]).toEqual([3, 4, 0, null, undefined]);
  });
});
