import path from 'node:path';

/**
 * What an image dataset's file and folder names say. OAI-derived knee crops are named
 * `<7-digit subject id><L|R>.<ext>`: the subject is the patient (both knees of a subject are one
 * patient) and the letter is the knee's side. Other names: the file stem is the patient, side unknown.
 */
export interface NameInfo {
  patientKey: string;
  side: 'L' | 'R' | undefined;
}

const OAI_NAME = /^(\d{7})([LR])$/i;

export function nameInfo(file: string): NameInfo {
  const stem = path.basename(file, path.extname(file));
  const m = OAI_NAME.exec(stem);
  if (m) return { patientKey: m[1]!, side: m[2]!.toUpperCase() as 'L' | 'R' };
  return { patientKey: stem, side: undefined };
}

/** A `<grade>/<file>` dataset layout: the parent folder named 0-4 is the file's KL grade. */
export function folderGrade(file: string): number | undefined {
  const parent = path.basename(path.dirname(file));
  return /^[0-4]$/.test(parent) ? Number(parent) : undefined;
}
