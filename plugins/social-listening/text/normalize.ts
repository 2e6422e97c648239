/**
 * Matching form of a text: NFKC, case folded, combining marks stripped, zero-width characters removed,
 * look-alike Cyrillic/Greek letters folded to Latin, whitespace runs collapsed to one space.
 * Each code point is folded on its own (marks are stripped anyway, so composing across code points
 * changes nothing we keep), which lets a 64K-entry table do the work for the BMP in one lookup.
 */

/** Capital Cyrillic and Greek letters that render like Latin capitals (checked before lower-casing). */
const UPPER_HOMOGLYPHS: Record<string, string> = {
  А: 'a', В: 'b', Е: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', Х: 'x', І: 'i', Ј: 'j', Ѕ: 's',
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x',
};

/** Small Cyrillic and Greek letters that render like Latin ones, plus case-folding extras. */
const HOMOGLYPHS: Record<string, string> = {
  а: 'a', е: 'e', ё: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ї: 'i', ј: 'j', ѕ: 's', һ: 'h',
  ԁ: 'd', ԛ: 'q', ԝ: 'w', ү: 'y',
  α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', υ: 'u', χ: 'x', ς: 'σ',
  ß: 'ss', ı: 'i',
};

/** Invisible characters used to split a brand name so naive filters miss it. */
const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0x180e]);

/** Kana voicing marks are meaning, not accents: ガ stays ガ. */
const STRIP_MARK = /(?![\u3099\u309a])\p{Mn}/gu;
const SPACE = /^\s$/u;

/** The folded form of one code point ('' when it disappears). */
export function foldCodePoint(cp: number): string {
  if (ZERO_WIDTH.has(cp)) return '';
  const ch = String.fromCodePoint(cp);
  if (SPACE.test(ch)) return ' ';
  const compat = ch.normalize('NFKC');
  const upper = UPPER_HOMOGLYPHS[compat];
  if (upper) return upper;
  let s = compat.toLowerCase().normalize('NFD').replace(STRIP_MARK, '').normalize('NFC');
  let out = '';
  for (const c of s) out += HOMOGLYPHS[c] ?? c;
  s = out;
  return /^\s+$/u.test(s) ? ' ' : s;
}

// Table entries: UNKNOWN until first use; >= 0 one code unit; the negative codes below take the slow path.
const UNKNOWN = -1;
const DROP = -2;
/** A high surrogate: the pair is folded as one astral code point. */
const HIGH = -3;
/** A kana voicing mark, composed with the kana before it. */
const VOICING = -4;
const MULTI_BASE = -5;
const table = new Int32Array(0x10000).fill(UNKNOWN);
const multi: string[] = [];
const astral = new Map<number, string>();

function fill(cu: number): number {
  let v: number;
  if (cu >= 0xd800 && cu <= 0xdbff) v = HIGH;
  else {
    const s = cu >= 0xdc00 && cu <= 0xdfff ? String.fromCharCode(cu) : foldCodePoint(cu);
    if (s.length === 0) v = DROP;
    else if (s === '\u3099' || s === '\u309a') v = VOICING;
    else if (s.length === 1) v = s.charCodeAt(0);
    else {
      multi.push(s);
      v = MULTI_BASE - (multi.length - 1);
    }
  }
  table[cu] = v;
  return v;
}

/**
 * The matching form of one code unit when it maps to at most one unit on its own: the folded unit,
 * 0 when it disappears, -1 when the text needs the full normalizer (expansions, surrogates, kana
 * voicing marks, NUL). Whitespace folds to a space; collapsing runs is left to the caller.
 */
export function foldUnit(cu: number): number {
  let v = table[cu]!;
  if (v === UNKNOWN) v = fill(cu);
  return v > 0 ? v : v === DROP ? 0 : -1;
}

/** A normalized text as UTF-16 code units, with the original offset of every unit when asked for. */
export interface Normalized {
  units: Uint16Array;
  /** origin[i] = offset in the original string of the code point that produced units[i]. */
  origin: Int32Array;
  length: number;
}

/** Reusable output buffers: normalizing a message allocates nothing once they are big enough. */
export class Normalizer {
  private units = new Uint16Array(256);
  private origin = new Int32Array(256);
  private readonly result: Normalized = { units: this.units, origin: this.origin, length: 0 };

  private ensure(min: number): void {
    if (this.units.length >= min) return;
    const n = Math.max(min, this.units.length * 2);
    const u = new Uint16Array(n);
    u.set(this.units);
    const o = new Int32Array(n);
    o.set(this.origin);
    this.units = this.result.units = u;
    this.origin = this.result.origin = o;
  }

  /**
   * Normalizes `text`; the returned arrays are only valid until the next call. Offsets are recorded
   * only `withOrigin` (the matcher asks again for the few messages that match).
   */
  run(text: string, withOrigin = false): Normalized {
    const n = text.length;
    this.ensure(n + 16);
    let units = this.units;
    let origin = this.origin;
    let len = 0;
    let last = 0x20; // drops leading spaces
    for (let i = 0; i < n; i++) {
      let v = table[text.charCodeAt(i)]!;
      if (v >= 0) {
        // The common case: one code unit in, one out.
        if (v === 0x20 && last === 0x20) continue;
        if (withOrigin) origin[len] = i;
        units[len++] = v;
        last = v;
        continue;
      }
      if (v === UNKNOWN) {
        v = fill(text.charCodeAt(i));
        if (v >= 0) {
          i--;
          continue;
        }
      }
      if (v === DROP) continue;
      const at = i;
      let s: string;
      if (v === VOICING) {
        const mark = String.fromCharCode(text.charCodeAt(i)).normalize('NFKC');
        const composed = len > 0 ? String.fromCharCode(units[len - 1]!) + mark : '';
        if (composed.normalize('NFC').length === 1) {
          units[len - 1] = last = composed.normalize('NFC').charCodeAt(0);
          continue;
        }
        s = mark;
      } else if (v === HIGH) {
        const lo = text.charCodeAt(i + 1);
        if (!(lo >= 0xdc00 && lo <= 0xdfff)) continue; // a lone high surrogate is dropped
        const cp = ((text.charCodeAt(i) - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
        i++;
        s = astral.get(cp) ?? '';
        if (!astral.has(cp)) astral.set(cp, (s = foldCodePoint(cp)));
      } else s = multi[MULTI_BASE - v]!;
      this.ensure(len + s.length + (n - i) + 16);
      units = this.units;
      origin = this.origin;
      for (let k = 0; k < s.length; k++) {
        const c = s.charCodeAt(k);
        if (c === 0x20 && last === 0x20) continue;
        if (withOrigin) origin[len] = at;
        units[len++] = c;
        last = c;
      }
    }
    if (len > 0 && units[len - 1] === 0x20) len--;
    this.result.length = len;
    return this.result;
  }
}

const shared = new Normalizer();

/** Convenience form for queries, tests and `/listen test`: the normalized string and its offset map. */
export function normalize(text: string): { text: string; origin: number[] } {
  const r = shared.run(text, true);
  let out = '';
  for (let i = 0; i < r.length; i += 4096) out += String.fromCharCode(...r.units.subarray(i, Math.min(r.length, i + 4096)));
  return { text: out, origin: Array.from(r.origin.subarray(0, r.length)) };
}
