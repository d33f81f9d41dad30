// Keyboard helpers shared by every keyboard-first feature.

/** True when a key press belongs to a text field (so shortcuts must leave it alone). */
export function isTypingTarget(t: EventTarget | null): boolean {
  if (!t || !(t as Element).tagName) return false;
  const el = t as HTMLElement;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(type);
  }
  return el.isContentEditable;
}

/** The KL grade a key stands for (top row or numpad), or null. */
export function gradeForKey(
  e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey'>,
): number | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const m = /^(?:Digit|Numpad)([0-4])$/.exec(e.code) ?? /^([0-4])$/.exec(e.key);
  return m ? Number(m[1]) : null;
}
