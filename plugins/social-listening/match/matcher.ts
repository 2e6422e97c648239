import { compile, evaluate, type Compiled, type Occurrences, type WordSpan } from '../query/evaluate.js';
import { termsOf, type QueryNode, type TermNode } from '../query/parse.js';
import { classOf, CJK, WORD } from '../text/chars.js';
import { Normalizer, type Normalized } from '../text/normalize.js';
import { Automaton } from './automaton.js';

export interface NamedQuery {
  name: string;
  query: QueryNode;
}

/** One matching query, with where its terms occurred in the original text ([start, end) offsets). */
export interface QueryMatch {
  name: string;
  spans: [number, number][];
}

/**
 * All listening queries of a tenant compiled into one automaton. A message is normalized once and
 * scanned once; only queries with at least one term found are evaluated.
 */
export class Matcher {
  readonly size: number;
  private readonly automaton: Automaton;
  private readonly normalizer = new Normalizer();
  private readonly names: string[];
  private readonly trees: Compiled[];
  // Per distinct pattern text: the term ids it stands for and which edges need a word boundary.
  private readonly exactTerm: Int32Array;
  private readonly prefixTerm: Int32Array;
  private readonly needStart: Uint8Array;
  private readonly needEnd: Uint8Array;
  // Term -> queries using it (CSR).
  private readonly termQueryStart: Int32Array;
  private readonly termQueryList: Int32Array;
  // Per-message scratch, stamped so nothing needs clearing between messages.
  private readonly termStamp: Uint32Array;
  private readonly queryStamp: Uint32Array;
  private stamp = 0;
  private candidates: Int32Array;
  private hitTerm = new Int32Array(64);
  private hitStart = new Int32Array(64);
  private hitEnd = new Int32Array(64);
  private hits = 0;

  constructor(queries: readonly NamedQuery[]) {
    this.size = queries.length;
    this.names = queries.map((q) => q.name);
    const patternIds = new Map<string, number>();
    const patterns: string[] = [];
    const termIds = new Map<string, number>();
    const termPattern: number[] = [];
    const termQueries: Set<number>[] = [];
    const idOf = (t: TermNode) => {
      const key = `${t.prefix ? '*' : '='}${t.text}`;
      let id = termIds.get(key);
      if (id === undefined) {
        id = termIds.size;
        termIds.set(key, id);
        let pid = patternIds.get(t.text);
        if (pid === undefined) {
          pid = patterns.length;
          patternIds.set(t.text, pid);
          patterns.push(t.text);
        }
        termPattern.push(pid);
        termQueries.push(new Set());
      }
      return id;
    };
    this.trees = queries.map((q, qi) => {
      const tree = compile(q.query, idOf);
      for (const t of termsOf(q.query)) termQueries[idOf(t)]!.add(qi);
      return tree;
    });

    this.automaton = new Automaton(patterns);
    this.exactTerm = new Int32Array(patterns.length).fill(-1);
    this.prefixTerm = new Int32Array(patterns.length).fill(-1);
    this.needStart = new Uint8Array(patterns.length);
    this.needEnd = new Uint8Array(patterns.length);
    patterns.forEach((p, pid) => {
      this.needStart[pid] = classOf(p.charCodeAt(0)) === WORD ? 1 : 0;
      this.needEnd[pid] = classOf(p.charCodeAt(p.length - 1)) === WORD ? 1 : 0;
    });
    for (const [key, id] of termIds) (key[0] === '*' ? this.prefixTerm : this.exactTerm)[termPattern[id]!] = id;

    const terms = termQueries.length;
    this.termQueryStart = new Int32Array(terms + 1);
    termQueries.forEach((s, t) => (this.termQueryStart[t + 1] = this.termQueryStart[t]! + s.size));
    this.termQueryList = new Int32Array(this.termQueryStart[terms]!);
    termQueries.forEach((s, t) => this.termQueryList.set([...s], this.termQueryStart[t]!));
    this.termStamp = new Uint32Array(terms);
    this.queryStamp = new Uint32Array(queries.length);
    this.candidates = new Int32Array(queries.length);
  }

  /** Names of the queries matching `text`, with the spans of their terms in the original text. */
  match(text: string): QueryMatch[] {
    if (this.size === 0) return [];
    const norm = this.normalizer.run(text);
    const found = this.find(norm);
    if (found === 0) return [];
    let wordOf: Int32Array | null = null;
    const words = (id: number): WordSpan[] => {
      wordOf ??= wordNumbers(norm);
      const out: WordSpan[] = [];
      for (let h = 0; h < this.hits; h++) if (this.hitTerm[h] === id) out.push([wordOf[this.hitStart[h]!]!, wordOf[this.hitEnd[h]!]!]);
      return out;
    };
    const stamp = this.stamp;
    const occ: Occurrences = { has: (id) => this.termStamp[id] === stamp, words };
    const matched: number[] = [];
    for (let c = 0; c < found; c++) if (evaluate(this.trees[this.candidates[c]!]!, occ)) matched.push(this.candidates[c]!);
    if (!matched.length) return [];
    // Offsets are only needed now: normalize again, recording them (same units as the first pass).
    const withOrigin = this.normalizer.run(text, true);
    return matched.map((q) => ({ name: this.names[q]!, spans: this.spansOf(q, withOrigin, text) }));
  }

  /** Scans once, checks word boundaries per hit, stamps found terms; returns the number of candidate queries. */
  private find(norm: Normalized): number {
    const { units, length } = norm;
    const a = this.automaton;
    const n = a.scan(units, length);
    if (++this.stamp === 0xffffffff) {
      this.termStamp.fill(0);
      this.queryStamp.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    this.hits = 0;
    let found = 0;
    for (let h = 0; h < n; h++) {
      const pid = a.hitPattern[h]!;
      const end = a.hitEnd[h]!;
      const start = end - a.patternLength[pid]! + 1;
      if (this.needStart[pid] && start > 0 && classOf(units[start - 1]!) === WORD) continue;
      const prefix = this.prefixTerm[pid]!;
      if (prefix >= 0) found = this.record(prefix, start, end, stamp, found);
      const exact = this.exactTerm[pid]!;
      if (exact >= 0 && !(this.needEnd[pid] && end + 1 < length && classOf(units[end + 1]!) === WORD)) {
        found = this.record(exact, start, end, stamp, found);
      }
    }
    return found;
  }

  private record(term: number, start: number, end: number, stamp: number, found: number): number {
    if (this.hits === this.hitTerm.length) {
      const grow = (x: Int32Array) => {
        const y = new Int32Array(x.length * 2);
        y.set(x);
        return y;
      };
      this.hitTerm = grow(this.hitTerm);
      this.hitStart = grow(this.hitStart);
      this.hitEnd = grow(this.hitEnd);
    }
    this.hitTerm[this.hits] = term;
    this.hitStart[this.hits] = start;
    this.hitEnd[this.hits++] = end;
    if (this.termStamp[term] === stamp) return found;
    this.termStamp[term] = stamp;
    for (let k = this.termQueryStart[term]!, e = this.termQueryStart[term + 1]!; k < e; k++) {
      const q = this.termQueryList[k]!;
      if (this.queryStamp[q] !== stamp) {
        this.queryStamp[q] = stamp;
        this.candidates[found++] = q;
      }
    }
    return found;
  }

  /** Spans (original offsets) of the terms of query q found in this message. */
  private spansOf(q: number, norm: Normalized, text: string): [number, number][] {
    const spans: [number, number][] = [];
    for (let h = 0; h < this.hits; h++) {
      const t = this.hitTerm[h]!;
      const uses = this.termQueryList.subarray(this.termQueryStart[t]!, this.termQueryStart[t + 1]!);
      if (!uses.includes(q)) continue;
      const last = norm.origin[this.hitEnd[h]!]!;
      const high = text.charCodeAt(last) >= 0xd800 && text.charCodeAt(last) <= 0xdbff;
      spans.push([norm.origin[this.hitStart[h]!]!, last + (high ? 2 : 1)]);
    }
    return spans;
  }
}

/** Word number of each normalized offset: runs of letters/digits are one word, each CJK character is one. */
function wordNumbers(norm: Normalized): Int32Array {
  const out = new Int32Array(norm.length);
  let w = -1;
  let prev = 0;
  for (let i = 0; i < norm.length; i++) {
    const c = classOf(norm.units[i]!);
    if (c === CJK || (c === WORD && prev !== WORD)) w++;
    out[i] = Math.max(w, 0);
    prev = c;
  }
  return out;
}
