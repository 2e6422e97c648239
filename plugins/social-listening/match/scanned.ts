import { classOf, CJK, OTHER, WORD } from '../text/chars.js';
import { foldUnit, type Normalized, type Normalizer } from '../text/normalize.js';

/**
 * The text one scan ran over, addressed by that scan's offsets: the raw message on the fast path, or
 * its normalized copy on the slow path. Only hits ask these questions, so the scan itself stays lean.
 */
export interface Scanned {
  /** Offset where the match of `len` folded units ending at `end` begins. */
  startOf(end: number, len: number): number;
  /** Class of the folded unit before `start` / after `end` (OTHER at the edges). */
  classBefore(start: number): number;
  classAfter(end: number): number;
  /** Word number of every offset: runs of letters/digits are one word, each CJK character is one. */
  wordNumbers(): Int32Array;
  /** [start, end) in the original text of the match spanning offsets start..end. */
  span(start: number, end: number): [number, number];
}

/** Counts words like the query language does; `unit(i)` is the folded unit at i, 0 where nothing is. */
function numberWords(out: Int32Array, length: number, unit: (i: number) => number, skips: boolean): Int32Array {
  let w = -1;
  let prev = OTHER;
  for (let i = 0; i < length; i++) {
    const u = unit(i);
    if (skips && u === 0) {
      out[i] = Math.max(w, 0);
      continue;
    }
    const c = classOf(u);
    if (c === CJK || (c === WORD && prev !== WORD)) w++;
    out[i] = Math.max(w, 0);
    prev = c;
  }
  return out;
}

function grow(buf: Int32Array, min: number): Int32Array {
  return buf.length >= min ? buf : new Int32Array(Math.max(min, buf.length * 2));
}

/**
 * Fast path: the message as it came, each unit folded through `foldUnit` (0 = skipped unit). Runs of
 * spaces count once, as the automaton's self-loops read them; patterns never start or end with a space.
 */
export class RawText implements Scanned {
  private text = '';
  private words: Int32Array = new Int32Array(256);

  reset(text: string): this {
    this.text = text;
    return this;
  }

  private fold(i: number): number {
    return foldUnit(this.text.charCodeAt(i));
  }

  startOf(end: number, len: number): number {
    let i = end;
    for (;;) {
      const f = this.fold(i);
      if (f !== 0) {
        if (--len === 0) return i;
        if (f === 0x20) while (i > 0 && (this.fold(i - 1) === 0 || this.fold(i - 1) === 0x20)) i--;
      }
      i--;
    }
  }

  classBefore(start: number): number {
    let i = start - 1;
    while (i >= 0 && this.fold(i) === 0) i--;
    return i < 0 ? OTHER : classOf(this.fold(i));
  }

  classAfter(end: number): number {
    let i = end + 1;
    while (i < this.text.length && this.fold(i) === 0) i++;
    return i >= this.text.length ? OTHER : classOf(this.fold(i));
  }

  wordNumbers(): Int32Array {
    this.words = grow(this.words, this.text.length);
    return numberWords(this.words, this.text.length, (i) => this.fold(i), true);
  }

  span(start: number, end: number): [number, number] {
    return [start, end + 1];
  }
}

/** Slow path: the normalizer's copy; original offsets are recomputed only for messages that match. */
export class NormalizedText implements Scanned {
  private text = '';
  private norm: Normalized | null = null;
  private mapped = false;
  private words: Int32Array = new Int32Array(256);

  constructor(private readonly normalizer: Normalizer) {}

  reset(text: string, norm: Normalized): this {
    this.text = text;
    this.norm = norm;
    this.mapped = false;
    return this;
  }

  startOf(end: number, len: number): number {
    return end - len + 1;
  }

  classBefore(start: number): number {
    return start > 0 ? classOf(this.norm!.units[start - 1]!) : OTHER;
  }

  classAfter(end: number): number {
    return end + 1 < this.norm!.length ? classOf(this.norm!.units[end + 1]!) : OTHER;
  }

  wordNumbers(): Int32Array {
    const { units, length } = this.norm!;
    this.words = grow(this.words, length);
    return numberWords(this.words, length, (i) => units[i]!, false);
  }

  span(start: number, end: number): [number, number] {
    if (!this.mapped) {
      // Same units as the first pass, now with the offset of each.
      this.norm = this.normalizer.run(this.text, true);
      this.mapped = true;
    }
    const { origin } = this.norm!;
    const last = origin[end]!;
    const high = this.text.charCodeAt(last) >= 0xd800 && this.text.charCodeAt(last) <= 0xdbff;
    return [origin[start]!, last + (high ? 2 : 1)];
  }
}
