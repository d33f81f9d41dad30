import { BITS_STORED } from './film';
import { writeDicom, type DicomElement } from './dicomWriter';

export const DX_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.1';

/** What goes into a phantom film's DICOM header. Everything says PHANTOM so nobody mistakes it for a patient. */
export interface FilmHeader {
  patientId: string;
  patientName: string;
  birthDate: string;
  sex: 'F' | 'M';
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  studyDate: string;
  accession: string;
  rows: number;
  columns: number;
  spacingMm: number;
  photometric: 'MONOCHROME1' | 'MONOCHROME2';
  window: { center: number; width: number };
  instanceNumber: number;
  /** Patient Orientation (0020,0020); default 'L\\F': rows run toward the patient's left (standard PA display). */
  patientOrientation?: string;
  /** Modality (0008,0060); default 'DX'. Other values exist for tests of what import refuses. */
  modality?: string;
}

/**
 * A DX "for presentation" instance, 12 bits stored in 16, with ImagerPixelSpacing (a detector plane
 * spacing, as real DX files carry) and ImageLaterality B (both knees on one film).
 */
export function encodeFilmDicom(
  h: FilmHeader,
  pixels: Uint16Array,
  opts: { part10?: boolean } = {},
): Uint8Array {
  const bytes = new Uint8Array(pixels.length * 2);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < pixels.length; i++) dv.setUint16(i * 2, pixels[i]!, true);
  const spacing = h.spacingMm.toFixed(4);
  const elements: DicomElement[] = [
    { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 100' },
    { tag: 0x00080008, vr: 'CS', value: 'DERIVED\\PRIMARY' },
    { tag: 0x00080016, vr: 'UI', value: DX_FOR_PRESENTATION },
    { tag: 0x00080018, vr: 'UI', value: h.sopUid },
    { tag: 0x00080020, vr: 'DA', value: h.studyDate },
    { tag: 0x00080030, vr: 'TM', value: '090000' },
    { tag: 0x00080050, vr: 'SH', value: h.accession },
    { tag: 0x00080060, vr: 'CS', value: h.modality ?? 'DX' },
    { tag: 0x00080068, vr: 'CS', value: 'FOR PRESENTATION' },
    { tag: 0x00080070, vr: 'LO', value: 'KneeGrade PHANTOM generator' },
    { tag: 0x00081030, vr: 'LO', value: 'PHANTOM - synthetic bilateral knees PA, not a patient' },
    { tag: 0x0008103e, vr: 'LO', value: 'PHANTOM knees PA' },
    { tag: 0x00100010, vr: 'PN', value: h.patientName },
    { tag: 0x00100020, vr: 'LO', value: h.patientId },
    { tag: 0x00100030, vr: 'DA', value: h.birthDate },
    { tag: 0x00100040, vr: 'CS', value: h.sex },
    { tag: 0x00180015, vr: 'CS', value: 'KNEE' },
    { tag: 0x00181164, vr: 'DS', value: `${spacing}\\${spacing}` },
    { tag: 0x00185101, vr: 'CS', value: 'PA' },
    { tag: 0x0020000d, vr: 'UI', value: h.studyUid },
    { tag: 0x0020000e, vr: 'UI', value: h.seriesUid },
    { tag: 0x00200010, vr: 'SH', value: '1' },
    { tag: 0x00200011, vr: 'IS', value: '1' },
    { tag: 0x00200013, vr: 'IS', value: String(h.instanceNumber) },
    // Rows run toward the patient's left, columns toward the feet: a PA film viewed as if facing the patient.
    { tag: 0x00200020, vr: 'CS', value: h.patientOrientation ?? 'L\\F' },
    { tag: 0x00200062, vr: 'CS', value: 'B' },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: h.photometric },
    { tag: 0x00280010, vr: 'US', value: h.rows },
    { tag: 0x00280011, vr: 'US', value: h.columns },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: BITS_STORED },
    { tag: 0x00280102, vr: 'US', value: BITS_STORED - 1 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x00281040, vr: 'CS', value: 'LIN' },
    { tag: 0x00281050, vr: 'DS', value: String(Math.round(h.window.center)) },
    { tag: 0x00281051, vr: 'DS', value: String(Math.round(h.window.width)) },
    { tag: 0x00281052, vr: 'DS', value: '0' },
    { tag: 0x00281053, vr: 'DS', value: '1' },
    { tag: 0x00281054, vr: 'LO', value: 'US' },
    // DX requires INVERSE exactly when the image is MONOCHROME1 (PS3.3 C.8.11.1.1.1): it restates, not repeats, the inversion.
    { tag: 0x20500020, vr: 'CS', value: h.photometric === 'MONOCHROME1' ? 'INVERSE' : 'IDENTITY' },
    { tag: 0x7fe00010, vr: 'OW', value: bytes },
  ];
  return writeDicom(elements, opts);
}
