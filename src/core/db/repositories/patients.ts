import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../connection';
import { getSetting, setSetting } from './settings';

/**
 * Patients. Identifiers (key, name, birth date) are stored as imported and never leave the machine
 * unless the user asks; everything exported or shown to blinded readers uses the pseudonym, a keyed
 * hash (HMAC-SHA256) of the patient key with a random secret that lives only in this database, so the
 * same patient always gets the same pseudonym here but pseudonyms cannot be reversed or matched
 * across databases.
 */
export interface Patient {
  id: number;
  key: string;
  name: string | null;
  birthDate: string | null;
  sex: string | null;
  pseudonym: string;
}

export interface PatientInput {
  key: string;
  name?: string | null;
  birthDate?: string | null;
  sex?: string | null;
}

const SECRET_KEY = 'pseudonym_secret';

interface PatientRow {
  id: number;
  patient_key: string;
  patient_name: string | null;
  birth_date: string | null;
  sex: string | null;
  pseudonym: string;
}

function toPatient(r: PatientRow): Patient {
  return {
    id: r.id,
    key: r.patient_key,
    name: r.patient_name,
    birthDate: r.birth_date,
    sex: r.sex,
    pseudonym: r.pseudonym,
  };
}

/** This database's pseudonym secret, created on first use. */
export function pseudonymSecret(db: Db): string {
  const existing = getSetting(db, SECRET_KEY);
  if (existing) return existing;
  const secret = randomBytes(32).toString('hex');
  setSetting(db, SECRET_KEY, secret);
  return secret;
}

/** The stable per-database pseudonym of a patient key, e.g. "P-3f9a1c0b2d4e". */
export function pseudonymFor(db: Db, patientKey: string): string {
  const h = createHmac('sha256', pseudonymSecret(db)).update(patientKey, 'utf8').digest('hex');
  return `P-${h.slice(0, 12)}`;
}

export function getPatientByKey(db: Db, key: string): Patient | undefined {
  const r = db.prepare('SELECT * FROM patients WHERE patient_key = ?').get(key) as PatientRow | undefined;
  return r ? toPatient(r) : undefined;
}

export function getPatient(db: Db, id: number): Patient | undefined {
  const r = db.prepare('SELECT * FROM patients WHERE id = ?').get(id) as PatientRow | undefined;
  return r ? toPatient(r) : undefined;
}

/** The patient with this key, created if new. Demographics already stored are kept (first import wins). */
export function ensurePatient(db: Db, input: PatientInput): Patient {
  if (!input.key) throw new Error('a patient needs a non-empty key');
  const found = getPatientByKey(db, input.key);
  if (found) return found;
  const info = db
    .prepare(
      'INSERT INTO patients (patient_key, patient_name, birth_date, sex, pseudonym) VALUES (?, ?, ?, ?, ?)',
    )
    .run(
      input.key,
      input.name ?? null,
      input.birthDate ?? null,
      input.sex ?? null,
      pseudonymFor(db, input.key),
    );
  return getPatient(db, Number(info.lastInsertRowid))!;
}
