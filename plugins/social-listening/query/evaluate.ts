import type { QueryNode, TermNode } from './parse.js';

/** A query with its terms replaced by term ids, ready to evaluate against the terms found in a message. */
export type Compiled =
  | { k: 'term'; id: number }
  | { k: 'and'; c: Compiled[] }
  | { k: 'or'; c: Compiled[] }
  | { k: 'not'; c: Compiled }
  | { k: 'near'; a: number; b: number; n: number };

/** [first word, last word] of one occurrence. */
export type WordSpan = readonly [number, number];

/** What a message contained: which terms occurred, and where (in word numbers) when NEAR asks. */
export interface Occurrences {
  has(id: number): boolean;
  words(id: number): WordSpan[];
}

export function compile(n: QueryNode, idOf: (t: TermNode) => number): Compiled {
  switch (n.kind) {
    case 'term': return { k: 'term', id: idOf(n) };
    case 'near': return { k: 'near', a: idOf(n.left), b: idOf(n.right), n: n.distance };
    case 'not': return { k: 'not', c: compile(n.child, idOf) };
    default: return { k: n.kind, c: n.children.map((c) => compile(c, idOf)) };
  }
}

/** True when some occurrence of one term and a distinct occurrence of the other have at most n words between them. */
export function near(a: readonly WordSpan[], b: readonly WordSpan[], n: number): boolean {
  for (const x of a) {
    for (const y of b) {
      const gap = x[1] < y[0] ? y[0] - x[1] - 1 : y[1] < x[0] ? x[0] - y[1] - 1 : -1;
      if (gap >= 0 && gap <= n) return true;
    }
  }
  return false;
}

export function evaluate(n: Compiled, occ: Occurrences): boolean {
  switch (n.k) {
    case 'term': return occ.has(n.id);
    case 'and': return n.c.every((c) => evaluate(c, occ));
    case 'or': return n.c.some((c) => evaluate(c, occ));
    case 'not': return !evaluate(n.c, occ);
    case 'near': return occ.has(n.a) && occ.has(n.b) && near(occ.words(n.a), occ.words(n.b), n.n);
  }
}
