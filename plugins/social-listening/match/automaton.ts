/**
 * Aho-Corasick over UTF-16 code units, in typed arrays only. Code units that occur in patterns get a
 * symbol number by frequency; the most frequent symbols (Latin letters, typically) get a dense
 * transition table with failure links resolved ahead of time, so they cost one lookup per character.
 * Rare symbols (the long tail of Han characters) use sorted per-state edge arrays plus failure links.
 * Code units in no pattern send the automaton straight back to the root.
 *
 * `scanText` walks an unnormalized string, folding each code unit through a per-automaton table
 * (code unit -> symbol, skip, or "needs the slow path") that a `Folding` fills on first sight.
 */

const MAX_DENSE_SYMBOLS = 64;
/** Cap on the dense table (entries), so 10,000 long queries stay within tens of megabytes. */
const MAX_DENSE_CELLS = 12_000_000;

// Special entries of the raw table; symbols stay below them.
const SKIP = 0xfffd;
const SLOW = 0xfffe;
const UNSET = 0xffff;

/** How `scanText` sees the raw text; patterns must already be in folded form. */
export interface Folding {
  /** Folded code unit (> 0), 0 to skip the unit, or < 0 when the text needs the full normalizer. */
  fold(cu: number): number;
  /** A folded unit whose runs count as one (the space); patterns must not repeat it or end with it. */
  collapse?: number;
}

const IDENTITY: Folding = { fold: (cu) => cu || -1 };

export class Automaton {
  /** Number of code units of each pattern. */
  readonly patternLength: Int32Array;
  readonly states: number;
  private readonly symOf: Uint16Array;
  private readonly dense: number;
  private readonly delta: Int32Array;
  private readonly rootNext: Int32Array;
  private readonly sparseStart: Int32Array;
  private readonly sparseSym: Uint16Array;
  private readonly sparseNext: Int32Array;
  private readonly fail: Int32Array;
  private readonly own: Int32Array;
  private readonly dict: Int32Array;
  private readonly outHead: Int32Array;
  private readonly folding: Folding;
  /** Code unit of the raw text -> symbol, 0 (in no pattern), SKIP, SLOW or UNSET (not looked at yet). */
  private readonly raw = new Uint16Array(0x10000).fill(UNSET);
  /** Hits of the last scan: pattern id and inclusive end offset. */
  hitPattern = new Int32Array(64);
  hitEnd = new Int32Array(64);

  constructor(patterns: readonly string[], folding: Folding = IDENTITY) {
    this.patternLength = Int32Array.from(patterns, (p) => p.length);
    this.folding = folding;
    const collapse = folding.collapse;
    if (collapse !== undefined) {
      const unit = String.fromCharCode(collapse);
      if (patterns.some((p) => p.endsWith(unit) || p.includes(unit + unit))) throw new Error('a pattern repeats or ends with the collapsed unit');
    }

    // Symbols by frequency: the dense table then covers what most text is made of. The collapsed
    // unit comes first, so it is always dense (its runs become self-loops below).
    const freq = new Map<number, number>();
    for (const p of patterns) for (let i = 0; i < p.length; i++) freq.set(p.charCodeAt(i), (freq.get(p.charCodeAt(i)) ?? 0) + 1);
    const order = [...freq.entries()].sort((a, b) => Number(b[0] === collapse) - Number(a[0] === collapse) || b[1] - a[1] || a[0] - b[0]).map((e) => e[0]);
    const symbols = order.length;
    if (symbols >= SKIP) throw new Error('too many distinct code units in patterns');
    this.symOf = new Uint16Array(0x10000);
    order.forEach((cu, i) => (this.symOf[cu] = i + 1));

    // Trie: one Map keyed by state and symbol (build time only), child lists for breadth-first order.
    const child = new Map<number, number>();
    const edgeFrom: number[] = [];
    const edgeSym: number[] = [];
    const edgeTo: number[] = [];
    const ownList: number[] = [-1];
    const firstEdge: number[] = [-1];
    const nextEdge: number[] = [];
    let states = 1;
    patterns.forEach((p, pid) => {
      if (p.length === 0) throw new Error('empty pattern');
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const sym = this.symOf[p.charCodeAt(i)]!;
        const key = s * 0x10000 + sym;
        let t = child.get(key);
        if (t === undefined) {
          t = states++;
          child.set(key, t);
          ownList.push(-1);
          firstEdge.push(-1);
          nextEdge.push(firstEdge[s]!);
          firstEdge[s] = edgeFrom.length;
          edgeFrom.push(s);
          edgeSym.push(sym);
          edgeTo.push(t);
        }
        s = t;
      }
      if (ownList[s] === -1) ownList[s] = pid;
    });
    this.states = states;

    const dense = Math.max(1, Math.min(symbols, MAX_DENSE_SYMBOLS, Math.floor(MAX_DENSE_CELLS / states)));
    this.dense = dense;
    this.delta = new Int32Array(states * dense);
    this.rootNext = new Int32Array(symbols + 1);
    this.fail = new Int32Array(states);
    this.own = Int32Array.from(ownList);
    this.dict = new Int32Array(states).fill(-1);
    this.outHead = new Int32Array(states).fill(-1);

    // Sparse edges (symbols beyond the dense range), sorted by symbol per state.
    const sparseCount = new Int32Array(states + 1);
    for (let e = 0; e < edgeFrom.length; e++) if (edgeSym[e]! > dense) sparseCount[edgeFrom[e]! + 1]!++;
    for (let s = 0; s < states; s++) sparseCount[s + 1]! += sparseCount[s]!;
    this.sparseStart = sparseCount;
    const total = sparseCount[states]!;
    this.sparseSym = new Uint16Array(total);
    this.sparseNext = new Int32Array(total);
    const fillAt = sparseCount.slice(0, states);
    const sparseEdges = [];
    for (let e = 0; e < edgeFrom.length; e++) if (edgeSym[e]! > dense) sparseEdges.push(e);
    sparseEdges.sort((a, b) => edgeFrom[a]! - edgeFrom[b]! || edgeSym[a]! - edgeSym[b]!);
    for (const e of sparseEdges) {
      const at = fillAt[edgeFrom[e]!]!++;
      this.sparseSym[at] = edgeSym[e]!;
      this.sparseNext[at] = edgeTo[e]!;
    }

    // Breadth-first: failure links, dense rows with failures folded in, dictionary (output) links.
    const queue = new Int32Array(states);
    let head = 0;
    let tail = 0;
    for (let e = firstEdge[0]!; e >= 0; e = nextEdge[e]!) {
      this.rootNext[edgeSym[e]!] = edgeTo[e]!;
      if (edgeSym[e]! <= dense) this.delta[edgeSym[e]! - 1] = edgeTo[e]!;
      queue[tail++] = edgeTo[e]!;
    }
    while (head < tail) {
      const s = queue[head++]!;
      const f = this.fail[s]!;
      this.dict[s] = this.own[f]! >= 0 ? f : this.dict[f]!;
      this.outHead[s] = this.own[s]! >= 0 ? s : this.dict[s]!;
      const row = s * dense;
      this.delta.copyWithin(row, f * dense, f * dense + dense);
      for (let e = firstEdge[s]!; e >= 0; e = nextEdge[e]!) {
        const sym = edgeSym[e]!;
        const t = edgeTo[e]!;
        this.fail[t] = this.step(f, sym);
        if (sym <= dense) this.delta[row + sym - 1] = t;
        queue[tail++] = t;
      }
    }

    // A repeated collapsed unit leaves the state as it was: the text reads as if the run were one unit.
    if (collapse !== undefined && this.symOf[collapse]) {
      for (let e = 0; e < edgeFrom.length; e++) if (edgeSym[e] === 1) this.delta[edgeTo[e]! * dense] = edgeTo[e]!;
    }
  }

  /** The goto-or-fail transition from state s on a symbol (used at build time and for sparse symbols). */
  private step(s: number, sym: number): number {
    if (sym <= this.dense) return this.delta[s * this.dense + sym - 1]!;
    const { sparseStart, sparseSym, sparseNext, fail } = this;
    while (s !== 0) {
      let lo = sparseStart[s]!;
      let hi = sparseStart[s + 1]!;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const m = sparseSym[mid]!;
        if (m === sym) return sparseNext[mid]!;
        if (m < sym) lo = mid + 1;
        else hi = mid;
      }
      s = fail[s]!;
    }
    return this.rootNext[sym]!;
  }

  /** Finds every occurrence of every pattern in units[0..length); returns the hit count (see hitPattern/hitEnd). */
  scan(units: Uint16Array, length: number): number {
    const { symOf, delta, dense, outHead } = this;
    let hits = 0;
    let s = 0;
    for (let i = 0; i < length; i++) {
      const sym = symOf[units[i]!]!;
      if (sym === 0) {
        s = 0;
        continue;
      }
      s = sym <= dense ? delta[s * dense + sym - 1]! : this.step(s, sym);
      if (outHead[s]! >= 0) hits = this.report(s, i, hits);
    }
    return hits;
  }

  /**
   * Scans the raw text through the folding: hit ends are offsets in `text`. Returns -1, having found
   * nothing reliable, as soon as a code unit needs the full normalizer.
   */
  scanText(text: string): number {
    const { raw, delta, dense, outHead } = this;
    let hits = 0;
    let s = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const sym = raw[text.charCodeAt(i)]!;
      if ((sym - 1) >>> 0 < dense) {
        // The common case (sym 0 wraps to a huge unsigned value and takes the slow branch).
        s = delta[s * dense + sym - 1]!;
      } else if (sym === 0) {
        s = 0;
        continue;
      } else {
        const t = this.rare(s, sym, text.charCodeAt(i));
        if (t === -1) continue;
        if (t === -2) return -1;
        s = t;
      }
      if (outHead[s]! >= 0) hits = this.report(s, i, hits);
    }
    return hits;
  }

  /** Sparse symbols and the special raw entries: the next state, -1 to skip the unit, -2 for the slow path. */
  private rare(s: number, sym: number, cu: number): number {
    if (sym === UNSET) sym = this.learn(cu);
    if (sym === SKIP) return -1;
    if (sym === SLOW) return -2;
    return sym === 0 ? 0 : this.step(s, sym);
  }

  private learn(cu: number): number {
    const f = this.folding.fold(cu);
    return (this.raw[cu] = f < 0 ? SLOW : f === 0 ? SKIP : this.symOf[f]!);
  }

  /** Records every pattern ending in state s at offset i. */
  private report(s: number, i: number, hits: number): number {
    for (let o = this.outHead[s]!; o >= 0; o = this.dict[o]!) {
      if (hits === this.hitPattern.length) this.grow();
      this.hitPattern[hits] = this.own[o]!;
      this.hitEnd[hits++] = i;
    }
    return hits;
  }

  private grow(): void {
    const p = new Int32Array(this.hitPattern.length * 2);
    p.set(this.hitPattern);
    const e = new Int32Array(this.hitEnd.length * 2);
    e.set(this.hitEnd);
    this.hitPattern = p;
    this.hitEnd = e;
  }
}
