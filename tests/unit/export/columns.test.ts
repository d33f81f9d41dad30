import { describe, expect, it } from 'vitest';
import {
  gradeColumnName,
  isLabelledCsv,
  isLabelledCsvHeader,
  parseGradeColumn,
} from '../../../src/core/export';

describe('labelled CSV columns', () => {
  it('round-trips grade column names, including names with colons', () => {
    for (const c of [
      { kind: 'reader', name: 'Dr: A', field: 'klg' },
      { kind: 'reader', name: 'B', field: 'session' },
      { kind: 'model', name: 'resnet18-kl@1.0.0', field: 'p3' },
      { kind: 'reference', source: 'csv:labels.csv', field: 'klg' },
    ] as const)
      expect(parseGradeColumn(gradeColumnName(c))).toEqual(c);
  });
  it('ignores other columns', () => {
    expect(parseGradeColumn('side')).toBeNull();
    expect(parseGradeColumn('reader::klg')).toBeNull();
    expect(parseGradeColumn('model:x:p5')).toBeNull();
    expect(parseGradeColumn('reader:x:probability')).toBeNull();
  });
  it('recognises the header, with or without a BOM and quotes', () => {
    expect(isLabelledCsvHeader(['format', 'patient', 'image_sha256', 'side'])).toBe(true);
    expect(isLabelledCsvHeader(['file', 'klg'])).toBe(false);
    expect(isLabelledCsv('\uFEFFformat,patient,study,image,knee_id,side,image_sha256\n')).toBe(true);
    expect(isLabelledCsv('"format","side","image_sha256"\r\n')).toBe(true);
    expect(isLabelledCsv('path,grade\n')).toBe(false);
  });
});
