/** Character classes for matching: where a Latin-style word begins or ends, and which scripts have no spaces. */

export const OTHER = 0;
/** Letters and digits of space-separated scripts: a term made of them needs word boundaries. */
export const WORD = 1;
/** Han, kana, hangul: no spaces between words, so terms match as substrings. */
export const CJK = 2;

const UNKNOWN = 255;
const table = new Uint8Array(0x10000).fill(UNKNOWN);
const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3005\u30fc]/u;
const word = /[\p{L}\p{N}\p{Mn}_]/u;

export function classOf(cu: number): number {
  const v = table[cu]!;
  if (v !== UNKNOWN) return v;
  let c = OTHER;
  if (cu < 0xd800 || cu > 0xdfff) {
    const ch = String.fromCharCode(cu);
    c = cjk.test(ch) ? CJK : word.test(ch) ? WORD : OTHER;
  }
  table[cu] = c;
  return c;
}

export function isWordUnit(cu: number): boolean {
  return classOf(cu) === WORD;
}

/** True when the text contains a character of a script written without spaces. */
export function hasCjk(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (classOf(text.charCodeAt(i)) === CJK) return true;
  return false;
}
