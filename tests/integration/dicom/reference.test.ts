import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeDicom,
  decodeStoredFrame,
  DicomError,
  parseDicomBytes,
  readDicomHeader,
  transferSyntaxInfo,
} from '../../../src/core/dicom';
import {
  hasReference,
  hasSamples,
  readManifest,
  referenceDecode,
  referenceProblem,
  samplesDir,
} from './reference-decoder';

/**
 * Every file of ../shared/data/dicom-samples/manifest.tsv against pydicom 2.3 + GDCM 3 (Debian).
 *
 * What is compared: the *stored values* (pydicom's pixel_array: after bits-stored masking and sign
 * extension, before any LUT; scripts/reference/dicom_reference.py sign-extends where pydicom 2.3 does not,
 * and converts GDCM's YCbCr JPEG output to RGB as libjpeg-based decoders return it), every sample of the first and the last frame. Lossless syntaxes must be equal
 * pixel for pixel; lossy ones (JPEG baseline/extended, JPEG-LS near-lossless, JPEG 2000 lossy) within the
 * tolerances below, because two correct lossy decoders may round the inverse transform differently.
 * For monochrome images the values after the Modality LUT are compared too (rescale or LUT Sequence).
 */

/** Files that must fail, with the DicomError code they must fail with. */
const EXPECTED_ERRORS: Record<string, DicomError['code']> = {
  'pydicom-deb/MR_truncated.dcm': 'TRUNCATED',
  'pydicom-deb/rtdose.dcm': 'NOT_AN_IMAGE',
  'pydicom-deb/liver_1frame.dcm': 'NOT_AN_IMAGE',
};

/** Files pydicom cannot read on its own, compared with the same content in another file. */
const REFERENCE_STAND_IN: Record<string, string> = {
  // pydicom-test_files-README: "Same as CT_small.dcm with no File Meta Information header"
  'pydicom-deb/no_meta.dcm': 'pydicom-deb/CT_small.dcm',
  // pydicom 2.3 + GDCM return zeros after the first fragment of this fragmented, offset-table-less
  // multi-frame JPEG-LS; the same two CT frames are also stored as RLE (which they decode correctly).
  'dicomParser/CT0012.fragmented_no_bot_jpeg_ls.80.dcm': 'dicomParser/CT0012.not_fragmented_bot_rle.dcm',
};

/**
 * Lossy tolerance. KneeGrade's decoders use the same arithmetic as GDCM's (IJG islow IDCT for 12-bit JPEG,
 * libjpeg-turbo islow for 8-bit, CharLS, OpenJPEG), so lossy frames agree exactly on this set; the only
 * expected differences are the rounding of the YCbCr -> RGB conversion (GDCM returns YCbCr, pydicom converts
 * in floating point). Allowed: any sample off by at most 2, mean |difference| at most 0.05. Measured values are
 * printed by the test (all 0, except 1 for one YBR_FULL JPEG).
 */
const LOSSY_MAX_ABS = 2;
const LOSSY_MEAN_ABS = 0.05;

if (!hasSamples) console.warn(`[dicom] skipping the sample-file tests: ${samplesDir} is absent`);
else if (!hasReference)
  console.warn(
    `[dicom] skipping the reference comparison: ${referenceProblem} (apt-get install python3-pydicom python3-gdcm)`,
  );

describe.skipIf(!hasSamples)('DICOM samples: expected errors', () => {
  for (const [file, code] of Object.entries(EXPECTED_ERRORS)) {
    it(`${file} fails with ${code} naming the file`, async () => {
      const bytes = new Uint8Array(readFileSync(path.join(samplesDir, file)));
      const err = await decodeDicom(bytes, { file }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DicomError);
      expect((err as DicomError).code).toBe(code);
      expect((err as DicomError).message).toContain(file);
      expect((err as DicomError).message).toMatch(code === 'TRUNCATED' ? /truncated/i : /not an image/i);
    });
  }

  it('a non-DICOM file fails with NOT_DICOM', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-notdicom-'));
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'This is a radiology report, not an image.\n'.repeat(20));
    const err = await decodeDicom(new Uint8Array(readFileSync(file)), { file }).catch((e: unknown) => e);
    expect((err as DicomError).code).toBe('NOT_DICOM');
    expect((err as DicomError).message).toContain('notes.txt');
    expect(() => readDicomHeader(new Uint8Array(readFileSync(file)), file)).toThrow(/not a DICOM file/);
  });
});

describe.skipIf(!hasSamples || !hasReference)('DICOM samples: pixel values equal pydicom + GDCM', () => {
  const rows = hasSamples ? readManifest() : [];
  for (const row of rows) {
    if (EXPECTED_ERRORS[row.file]) continue;
    it(`${row.file} (${row.transferSyntax})`, async () => {
      const full = path.join(samplesDir, row.file);
      const bytes = new Uint8Array(readFileSync(full));
      const parsed = parseDicomBytes(bytes, row.file);
      const header = readDicomHeader(bytes, row.file);
      const frames = header.frames > 1 ? [0, header.frames - 1] : [0];
      const refFile = path.join(samplesDir, REFERENCE_STAND_IN[row.file] ?? row.file);
      const ref = referenceDecode(refFile, frames);
      expect(ref.ok, `reference could not decode ${refFile}: ${ref.error}`).toBe(true);
      const info = transferSyntaxInfo(parsed.transferSyntax);
      expect(info, `unknown syntax ${parsed.transferSyntax}`).toBeDefined();

      for (const f of frames) {
        const ours = await decodeStoredFrame(parsed, f, row.file);
        const theirs = ref.frames.get(f)!;
        expect(ours.stored.length).toBe(theirs.stored.length);
        const range = 2 ** ours.params.bitsStored;
        let maxDiff = 0;
        let sumDiff = 0;
        for (let i = 0; i < theirs.stored.length; i++) {
          const d = Math.abs(ours.stored[i]! - theirs.stored[i]!);
          if (d > maxDiff) maxDiff = d;
          sumDiff += d;
        }
        const meanDiff = sumDiff / theirs.stored.length;
        if (info!.lossless) {
          expect(maxDiff, `${row.file} frame ${f}: lossless must match exactly`).toBe(0);
        } else {
          console.log(
            `[dicom] ${row.file} frame ${f} lossy: max |diff| ${maxDiff}, mean |diff| ${meanDiff.toFixed(4)} (range ${range})`,
          );
          expect(maxDiff).toBeLessThanOrEqual(LOSSY_MAX_ABS);
          expect(meanDiff).toBeLessThanOrEqual(LOSSY_MEAN_ABS);
        }

        if (theirs.modality && info!.lossless) {
          const img = await decodeDicom(bytes, { frame: f, file: row.file });
          let worst = 0;
          for (let i = 0; i < theirs.modality.length; i++)
            worst = Math.max(worst, Math.abs(img.values[i]! - theirs.modality[i]!));
          // float32 on both sides; rescale slopes like 0.000061 leave float rounding only
          expect(worst, `${row.file} frame ${f}: values after the Modality LUT`).toBeLessThanOrEqual(
            1e-3 * Math.max(1, img.storedMax - img.storedMin),
          );
        }
      }
    });
  }
});
