/**
 * Characters that make text lie about itself: controls (other than tab and line breaks), bidi
 * overrides and isolates that reorder what a reader sees, and zero-width characters that make two
 * names look equal. Command text carrying them is refused, never silently cleaned, so what is stored
 * is exactly what was typed. A zero-width joiner between emoji (👩‍💻) is a real character and stays.
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200B-\u200D\u2060\uFEFF]/gu;
const EMOJI_BEFORE = /[\p{Extended_Pictographic}\u{FE0F}\u{1F3FB}-\u{1F3FF}]$/u;
const EMOJI_AFTER = /^\p{Extended_Pictographic}/u;

const NAMES: Record<number, string> = {
  0x200b: 'ZERO WIDTH SPACE', 0x200c: 'ZERO WIDTH NON-JOINER', 0x200d: 'ZERO WIDTH JOINER', 0x2060: 'WORD JOINER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE', 0x202a: 'LEFT-TO-RIGHT EMBEDDING', 0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING', 0x202d: 'LEFT-TO-RIGHT OVERRIDE', 0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE', 0x2067: 'RIGHT-TO-LEFT ISOLATE', 0x2068: 'FIRST STRONG ISOLATE', 0x2069: 'POP DIRECTIONAL ISOLATE',
};

/** The first hidden character of `text`, described for a person; null when the text is clean. */
export function hiddenCharacter(text: string): string | null {
  for (const m of text.matchAll(FORBIDDEN)) {
    const i = m.index;
    if (m[0] === '\u200D' && EMOJI_BEFORE.test(text.slice(0, i)) && EMOJI_AFTER.test(text.slice(i + 1))) continue;
    const code = m[0].codePointAt(0)!;
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    const kind = code < 0x200b || (code >= 0x7f && code <= 0x9f) ? 'a control character' : NAMES[code] ?? 'an invisible character';
    return `${hex} ${kind} at character ${[...text.slice(0, i)].length + 1}`;
  }
  return null;
}

/** The refusal a person reads: what was found and what to do. */
export function hiddenCharacterMessage(found: string): string {
  return `Names, titles, tags and reasons cannot hold invisible or direction-changing characters (found ${found}). Retype the text without it; nothing was changed.`;
}
