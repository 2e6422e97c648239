/**
 * Aho-Corasick over UTF-16 code units, in typed arrays only. Code units that occur in patterns get a
 * symbol number by frequency; the most frequent symbols (Latin letters, typically) get a dense
 * transition table with failure links resolved ahead of time, so they cost one lookup per character.
 * Rare symbols (the long tail of Han characters) use sorted per-state edge arrays plus failure links.
 * Code units in no pattern send the automaton straight back to the root.
 */

const MAX_DENSE_SYMBOLS = 64;
/** Cap on the dense table (entries), so 10,000 long queries stay within tens of megabytes. */
const MAX_DENSE_CELLS = 12_000_000;

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
  /** Hits of the last scan: pattern id and inclusive end offset. */
  hitPattern = new Int32Array(64);
  hitEnd = new Int32Array(64);

  constructor(patterns: readonly string[]) {
    this.patternLength = Int32Array.from(patterns, (p) => p.length);

    // Symbols by frequency: the dense table then covers what most text is made of.
    const freq = new Map<number, number>();
    for (const p of patterns) for (let i = 0; i < p.length; i++) freq.set(p.charCodeAt(i), (freq.get(p.charCodeAt(i)) ?? 0) + 1);
    const order = [...freq.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map((e) => e[0]);
    const symbols = order.length;
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
    const { symOf, delta, dense, outHead, own, dict } = this;
    let hitPattern = this.hitPattern;
    let hitEnd = this.hitEnd;
    let hits = 0;
    let s = 0;
    for (let i = 0; i < length; i++) {
      const sym = symOf[units[i]!]!;
      if (sym === 0) {
        s = 0;
        continue;
      }
      s = sym <= dense ? delta[s * dense + sym - 1]! : this.step(s, sym);
      for (let o = outHead[s]!; o >= 0; o = dict[o]!) {
        if (hits === hitPattern.length) {
          const p = new Int32Array(hits * 2);
          p.set(hitPattern);
          const e = new Int32Array(hits * 2);
          e.set(hitEnd);
          this.hitPattern = hitPattern = p;
          this.hitEnd = hitEnd = e;
        }
        hitPattern[hits] = own[o]!;
        hitEnd[hits++] = i;
      }
    }
    return hits;
  }
}
