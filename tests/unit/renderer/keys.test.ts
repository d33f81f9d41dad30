import { describe, expect, it } from 'vitest';
import { gradeForKey, isTypingTarget } from '../../../src/renderer/src/components/keys';

const key = (
  k: string,
  code: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {},
) => ({
  key: k,
  code,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('grade keys', () => {
  it('top-row and numpad digits 0-4 are grades', () => {
    expect(gradeForKey(key('0', 'Digit0'))).toBe(0);
    expect(gradeForKey(key('4', 'Digit4'))).toBe(4);
    expect(gradeForKey(key('3', 'Numpad3'))).toBe(3);
    // Layouts where the digit needs Shift (AZERTY): the physical key still counts.
    expect(gradeForKey(key('"', 'Digit3'))).toBe(3);
  });

  it('5-9, letters and modified digits are not', () => {
    expect(gradeForKey(key('5', 'Digit5'))).toBeNull();
    expect(gradeForKey(key('a', 'KeyA'))).toBeNull();
    expect(gradeForKey(key('2', 'Digit2', { ctrlKey: true }))).toBeNull();
    expect(gradeForKey(key('2', 'Digit2', { altKey: true }))).toBeNull();
  });

  it('text fields swallow shortcuts; checkboxes and buttons do not', () => {
    const el = (tagName: string, extra: Record<string, unknown> = {}) =>
      ({ tagName, isContentEditable: false, ...extra }) as unknown as EventTarget;
    expect(isTypingTarget(el('TEXTAREA'))).toBe(true);
    expect(isTypingTarget(el('INPUT', { type: 'text' }))).toBe(true);
    expect(isTypingTarget(el('SELECT'))).toBe(true);
    expect(isTypingTarget(el('INPUT', { type: 'checkbox' }))).toBe(false);
    expect(isTypingTarget(el('BUTTON'))).toBe(false);
    expect(isTypingTarget(el('DIV', { isContentEditable: true }))).toBe(true);
    expect(isTypingTarget(null)).toBe(false);
  });
});
