// The session form's fields and how they become a `sessions:create` request.
import type { Input } from '../../../../shared/contract';

export interface SessionFormValues {
  name: string;
  scope: 'all' | 'study';
  studyId: number | null;
  blinded: boolean;
  aiAided: boolean;
  /** Empty: the core picks a random seed and records it. */
  seed: string;
  rereadOf: number | null;
  washoutDays: number;
  force: boolean;
}

export const DEFAULT_SESSION_FORM: SessionFormValues = {
  name: '',
  scope: 'all',
  studyId: null,
  blinded: true,
  aiAided: false,
  seed: '',
  rereadOf: null,
  washoutDays: 28,
  force: false,
};

/** The request, or a sentence saying what is wrong with the form. */
export function toCreateInput(
  v: SessionFormValues,
  readerId: number | null,
): Input<'sessions:create'> | string {
  if (readerId === null) return 'Choose or add a reader first.';
  const name = v.name.trim();
  if (!name) return 'Give the session a name.';
  if (v.blinded && v.aiAided) return 'A session cannot be both blinded and AI-aided.';
  const input: Input<'sessions:create'> = { readerId, name, blinded: v.blinded, aiAided: v.aiAided };
  if (v.seed.trim() !== '') {
    const seed = Number(v.seed.trim());
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
      return 'The seed must be a whole number from 0 to 4294967295.';
    input.seed = seed;
  }
  if (v.rereadOf !== null) {
    input.rereadOf = v.rereadOf;
    input.washoutDays = v.washoutDays;
    if (v.force) input.force = true;
    return input;
  }
  if (v.scope === 'study') {
    if (v.studyId === null) return 'Choose the study to read.';
    input.studyId = v.studyId;
  }
  return input;
}
