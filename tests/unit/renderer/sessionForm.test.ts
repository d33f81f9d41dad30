import { describe, expect, it } from 'vitest';
import { sessionCreateInput } from '../../../src/shared/contract';
import { DEFAULT_SESSION_FORM, toCreateInput } from '../../../src/renderer/src/features/sessions/sessionForm';

describe('session form', () => {
  it('builds a blinded all-knees session by default, which the contract accepts', () => {
    const input = toCreateInput({ ...DEFAULT_SESSION_FORM, name: ' Read 1 ' }, 2);
    expect(input).toEqual({ readerId: 2, name: 'Read 1', blinded: true, aiAided: false });
    expect(sessionCreateInput.safeParse(input).success).toBe(true);
  });

  it('a study scope, a seed, and a re-read with washout', () => {
    expect(
      toCreateInput({ ...DEFAULT_SESSION_FORM, name: 'S', scope: 'study', studyId: 9, seed: '42' }, 1),
    ).toMatchObject({ studyId: 9, seed: 42 });
    const reread = toCreateInput(
      {
        ...DEFAULT_SESSION_FORM,
        name: 'R',
        rereadOf: 3,
        washoutDays: 14,
        force: true,
        scope: 'study',
        studyId: 9,
      },
      1,
    );
    expect(reread).toMatchObject({ rereadOf: 3, washoutDays: 14, force: true });
    expect(reread).not.toHaveProperty('studyId'); // a re-read takes the earlier session's knees
    expect(sessionCreateInput.safeParse(reread).success).toBe(true);
  });

  it('says what is wrong instead of sending a bad request', () => {
    expect(toCreateInput({ ...DEFAULT_SESSION_FORM, name: 'x' }, null)).toMatch(/reader/);
    expect(toCreateInput({ ...DEFAULT_SESSION_FORM, name: '  ' }, 1)).toMatch(/name/);
    expect(toCreateInput({ ...DEFAULT_SESSION_FORM, name: 'x', blinded: true, aiAided: true }, 1)).toMatch(
      /blinded and AI-aided/,
    );
    expect(toCreateInput({ ...DEFAULT_SESSION_FORM, name: 'x', seed: '-3' }, 1)).toMatch(/seed/);
    expect(toCreateInput({ ...DEFAULT_SESSION_FORM, name: 'x', seed: '1.5' }, 1)).toMatch(/seed/);
    expect(toCreateInput({ ...DEFAULT_SESSION_FORM, name: 'x', scope: 'study', studyId: null }, 1)).toMatch(
      /study/,
    );
  });
});
