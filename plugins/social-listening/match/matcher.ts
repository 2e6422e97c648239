import { compile, evaluate, type Compiled, type Occurrences, type WordSpan } from '../query/evaluate.js';
import { termsOf, type QueryNode, type TermNode } from '../query/parse.js';
import { classOf, WORD } from '../text/chars.js';
import { foldUnit, Normalizer } from '../text/normalize.js';
import { Automaton } from './automaton.js';
import { NormalizedText, RawText, type Scanned } from './scanned.js';

export interface NamedQuery {
  name: string;
  query: QueryNode;
}

/** One matching query, with where its terms occurred in the original text ([start, end) offsets). */
export interface QueryMatch {
  name: string;
  spans: [number, number][];
}

const NONE: readonly QueryMatch[] = Object.freeze([]);

/**
 * All listening queries of a tenant compiled into one automaton. A message is scanned once as it came,
 * folding code units on the fly; only a message with characters that need the full normalizer (NFKC
 * expansions, surrogates, kana voicing marks) is normalized into a copy and scanned again. Only queries
 * with at least one term found are evaluated.
 */
export class Matcher {
  readonly size: number;
  private readonly automaton: Automaton;
  private readonly fastPath: boolean;
  private readonly normalizer = new Normalizer();
  private readonly raw = new RawText();
  private readonly normalized = new NormalizedText(this.normalizer);
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
  // The message being evaluated, and its word numbers once NEAR asks for them.
  private view: Scanned = this.raw;
  private wordOf: Int32Array | null = null;
  private readonly occ: Occurrences = { has: (id) => this.termStamp[id] === this.stamp, words: (id) => this.words(id) };

  /** `fastPath: false` normalizes every message first (the reference behaviour the fast path must equal). */
  constructor(queries: readonly NamedQuery[], { fastPath = true }: { fastPath?: boolean } = {}) {
    this.fastPath = fastPath;
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

    this.automaton = new Automaton(patterns, { fold: foldUnit, collapse: 0x20 });
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
  match(text: string): readonly QueryMatch[] {
    if (this.size === 0) return NONE;
    const a = this.automaton;
    let n = this.fastPath ? a.scanText(text) : -1;
    if (n >= 0) this.view = this.raw.reset(text);
    else {
      const norm = this.normalizer.run(text);
      n = a.scan(norm.units, norm.length);
      this.view = this.normalized.reset(text, norm);
    }
    if (n === 0) return NONE;
    const found = this.find(n);
    if (found === 0) return NONE;
    this.wordOf = null;
    // Matching queries are compacted to the front of the candidates.
    let matched = 0;
    for (let c = 0; c < found; c++) {
      const q = this.candidates[c]!;
      if (evaluate(this.trees[q]!, this.occ)) this.candidates[matched++] = q;
    }
    if (matched === 0) return NONE;
    const out: QueryMatch[] = [];
    for (let c = 0; c < matched; c++) out.push({ name: this.names[this.candidates[c]!]!, spans: this.spansOf(this.candidates[c]!) });
    return out;
  }

  /** Checks word boundaries of the scan's hits and stamps found terms; returns the number of candidate queries. */
  private find(n: number): number {
    const a = this.automaton;
    const view = this.view;
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
      const start = view.startOf(end, a.patternLength[pid]!);
      if (this.needStart[pid] && view.classBefore(start) === WORD) continue;
      const prefix = this.prefixTerm[pid]!;
      if (prefix >= 0) found = this.record(prefix, start, end, stamp, found);
      const exact = this.exactTerm[pid]!;
      if (exact >= 0 && !(this.needEnd[pid] && view.classAfter(end) === WORD)) found = this.record(exact, start, end, stamp, found);
    }
    return found;
  }

  /** Word spans of every occurrence of a term in this message (for NEAR). */
  private words(id: number): WordSpan[] {
    const wordOf = (this.wordOf ??= this.view.wordNumbers());
    const out: WordSpan[] = [];
    for (let h = 0; h < this.hits; h++) if (this.hitTerm[h] === id) out.push([wordOf[this.hitStart[h]!]!, wordOf[this.hitEnd[h]!]!]);
    return out;
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
  private spansOf(q: number): [number, number][] {
    const spans: [number, number][] = [];
    for (let h = 0; h < this.hits; h++) {
      const t = this.hitTerm[h]!;
      const uses = this.termQueryList.subarray(this.termQueryStart[t]!, this.termQueryStart[t + 1]!);
      if (uses.includes(q)) spans.push(this.view.span(this.hitStart[h]!, this.hitEnd[h]!));
    }
    return spans;
  }
}
