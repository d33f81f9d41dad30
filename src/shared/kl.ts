// The Kellgren-Lawrence scale and the OARSI feature grades, shared by every side of the app.

export const KL_GRADES = [0, 1, 2, 3, 4] as const;
export type KlGrade = (typeof KL_GRADES)[number];

/** Short radiographic definitions (Kellgren & Lawrence 1957), shown next to the grade buttons. */
export const KL_DESCRIPTIONS: Record<KlGrade, string> = {
  0: 'No radiographic features of OA',
  1: 'Doubtful joint-space narrowing, possible osteophytic lipping',
  2: 'Definite osteophytes, possible joint-space narrowing',
  3: 'Moderate multiple osteophytes, definite narrowing, some sclerosis, possible deformity of bone ends',
  4: 'Large osteophytes, marked narrowing, severe sclerosis, definite deformity of bone ends',
};

/** OARSI atlas grades for osteophytes and joint-space narrowing run 0..3. */
export const OARSI_GRADES = [0, 1, 2, 3] as const;

/** Reader confidence, 1 (guess) .. 5 (certain). */
export const CONFIDENCE_LEVELS = [1, 2, 3, 4, 5] as const;

export function isKlGrade(v: unknown): v is KlGrade {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 4;
}
