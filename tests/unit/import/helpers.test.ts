import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DicomError } from '../../../src/core/dicom';
import { ImageLoadError } from '../../../src/core/image/errors';
import {
  describeFailure,
  folderGrade,
  matchLabelFile,
  nameInfo,
  placeKnees,
  readLabelsCsv,
  walkPaths,
} from '../../../src/core/import';
import type { LoadedImage } from '../../../src/core/image';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-imp-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file names', () => {
  it('OAI names give subject and side; other names the stem', () => {
    expect(nameInfo('/x/2/9000099L.webp')).toEqual({ patientKey: '9000099', side: 'L' });
    expect(nameInfo('/x/9000099r.png')).toEqual({ patientKey: '9000099', side: 'R' });
    expect(nameInfo('/x/knee_left.png')).toEqual({ patientKey: 'knee_left', side: undefined });
    expect(nameInfo('/x/90000991L.png')).toEqual({ patientKey: '90000991L', side: undefined });
  });
  it('a parent folder 0-4 is the grade', () => {
    expect(folderGrade('/d/3/a.png')).toBe(3);
    expect(folderGrade('/d/5/a.png')).toBeUndefined();
    expect(folderGrade('/d/train/a.png')).toBeUndefined();
  });
});

describe('walkPaths', () => {
  it('recurses, sorts, passes over hidden and non-image files, reports missing paths', async () => {
    const root = path.join(dir, 'walk');
    mkdirSync(path.join(root, 'b', '.hidden'), { recursive: true });
    mkdirSync(path.join(root, 'a'), { recursive: true });
    for (const f of [
      'a/IM0001',
      'a/x.dcm',
      'b/y.png',
      'b/.DS_Store',
      'b/notes.txt',
      'b/LICENSE',
      'b/.hidden/z.dcm',
      'DICOMDIR',
    ])
      writeFileSync(path.join(root, f), 'x');
    const r = await walkPaths([root, path.join(dir, 'nope'), path.join(root, 'b', 'notes.txt')]);
    expect(r.files.map((f) => path.relative(root, f))).toEqual([
      'a/IM0001',
      'a/x.dcm',
      'b/y.png',
      'b/notes.txt',
    ]);
    expect(r.skipped.map((f) => path.basename(f)).sort()).toEqual(['.DS_Store', 'DICOMDIR', 'LICENSE']);
    expect(r.missing).toHaveLength(1);
    expect(r.missing[0]!.path).toBe(path.join(dir, 'nope'));
  });
});

describe('labels CSV', () => {
  it('reads file/grade/side/reader and lists bad rows', async () => {
    const f = path.join(dir, 'labels.csv');
    writeFileSync(
      f,
      '\ufeffFile,KLG,Side,Reader\na.png,2,,\nb.dcm,4,left,Ann\nc.png,5,,\n,1,,\nd.png,1,X,\n',
    );
    const r = await readLabelsCsv(f);
    expect(r.rows).toEqual([
      { line: 2, file: 'a.png', grade: 2 },
      { line: 3, file: 'b.dcm', grade: 4, side: 'L', reader: 'Ann' },
    ]);
    expect(r.problems.map((p) => p.line)).toEqual([4, 5, 6]);
  });
  it('refuses a CSV without the needed columns, naming the file', async () => {
    const f = path.join(dir, 'bad.csv');
    writeFileSync(f, 'name,score\na,1\n');
    await expect(readLabelsCsv(f)).rejects.toThrow(/bad\.csv: the labels CSV needs a file column/);
    await expect(readLabelsCsv(path.join(dir, 'none.csv'))).rejects.toThrow(/none\.csv: cannot read/);
  });
  it('matches absolute, CSV-relative and unique suffix paths', () => {
    const files = ['/data/0/a.png', '/data/1/a.png', '/data/1/b.png'];
    expect(matchLabelFile('/data/labels.csv', '1/a.png', files)).toBe('/data/1/a.png');
    expect(matchLabelFile('/elsewhere/l.csv', 'b.png', files)).toBe('/data/1/b.png');
    expect(matchLabelFile('/elsewhere/l.csv', 'a.png', files)).toEqual({ ambiguous: 2 });
    expect(matchLabelFile('/elsewhere/l.csv', '/data/0/a.png', files)).toBe('/data/0/a.png');
    expect(matchLabelFile('/elsewhere/l.csv', 'zzz.png', files)).toBeUndefined();
  });
});

describe('describeFailure', () => {
  it('keeps the error code and drops the repeated file name', () => {
    expect(describeFailure('/f.dcm', new DicomError('TRUNCATED', 'pixel data ends early', '/f.dcm'))).toEqual(
      {
        path: '/f.dcm',
        code: 'TRUNCATED',
        reason: 'pixel data ends early',
      },
    );
    expect(describeFailure('/f.png', new ImageLoadError('CORRUPT', 'bad', '/f.png')).code).toBe('CORRUPT');
    expect(describeFailure('/f', new Error('boom'))).toEqual({
      path: '/f',
      code: 'IMPORT_FAILED',
      reason: 'boom',
    });
  });
});

describe('placeKnees', () => {
  const raster = (w: number, h: number): LoadedImage => ({
    format: 'png',
    width: w,
    height: h,
    display8: new Uint8Array(w * h),
    values: new Float32Array(w * h),
    bitDepth: 8,
    pixelSha256: 'x',
  });
  it('a small square raster is a joint crop: one knee, the whole image', () => {
    const p = placeKnees(raster(224, 224), { nameSide: 'L' });
    expect(p).toEqual({
      knees: [{ side: 'L', crop: { x: 0, y: 0, w: 224, h: 224 }, cropSource: 'whole-image' }],
      isJointCrop: true,
      laterality: 'L',
    });
    // Side unknown: stored as R, laterality left empty so it stays visible that it was not known.
    expect(placeKnees(raster(224, 224), {}).laterality).toBeNull();
  });
  it('a large landscape raster is a bilateral film; forcing "crop" overrides', () => {
    const p = placeKnees(raster(1500, 1000), {});
    expect(p.isJointCrop).toBe(false);
    expect(p.laterality).toBe('B');
    expect(p.knees.map((k) => k.side)).toEqual(['R', 'L']);
    expect(p.knees.every((k) => k.cropSource === 'auto')).toBe(true);
    expect(placeKnees(raster(1500, 1000), { rasterKind: 'crop' }).isJointCrop).toBe(true);
  });
  it('a portrait film with a side is one knee of that side', () => {
    const p = placeKnees(raster(1000, 1400), { nameSide: 'L', rasterKind: 'film' });
    expect(p.knees.map((k) => k.side)).toEqual(['L']);
    expect(p.laterality).toBe('L');
  });
});
