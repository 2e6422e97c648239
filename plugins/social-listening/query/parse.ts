import { normalize } from '../text/normalize.js';

/**
 * The listening query language: terms, "quoted phrases", AND, OR, NOT, parentheses, NEAR/n between two
 * terms, trailing * for a prefix; adjacent terms are ANDed. Operators are upper case (lower-case `and`
 * is a word). Terms are kept in their normalized form, the same form messages are matched in.
 */

export type QueryNode =
  | TermNode
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode }
  | { kind: 'near'; left: TermNode; right: TermNode; distance: number };

export interface TermNode {
  kind: 'term';
  /** Normalized text to find (a phrase keeps single spaces between its words). */
  text: string;
  prefix: boolean;
  /** 1-based position in the query, for messages. */
  at: number;
}

export class QueryError extends Error {
  constructor(readonly at: number, readonly detail: string) {
    super(`at ${at}: ${detail}`);
  }
}

type Token =
  | { t: '('; at: number }
  | { t: ')'; at: number }
  | { t: 'AND' | 'OR' | 'NOT'; at: number }
  | { t: 'NEAR'; at: number; n: number }
  | { t: 'word'; at: number; text: string }
  | { t: 'phrase'; at: number; text: string }
  | { t: 'end'; at: number };

export const MAX_NEAR = 100;
const OPEN_QUOTES = '"“';
const CLOSE_FOR: Record<string, string> = { '"': '"', '“': '”' };

function lex(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i + 1;
    if (c === '(' || c === ')') {
      out.push({ t: c, at });
      i++;
      continue;
    }
    if (OPEN_QUOTES.includes(c)) {
      const close = q.indexOf(CLOSE_FOR[c]!, i + 1);
      if (close < 0) throw new QueryError(at, `expected a closing ${CLOSE_FOR[c]} for the phrase opened here`);
      out.push({ t: 'phrase', at, text: q.slice(i + 1, close) });
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < q.length && !/[\s()"“”]/.test(q[j]!)) j++;
    const word = q.slice(i, j);
    i = j;
    if (word === 'AND' || word === 'OR' || word === 'NOT') out.push({ t: word, at });
    else if (word.startsWith('NEAR')) {
      const m = /^NEAR\/(\d{1,3})$/.exec(word);
      if (!m) throw new QueryError(at, 'expected NEAR/<number of words>, like NEAR/5');
      const n = Number(m[1]);
      if (n > MAX_NEAR) throw new QueryError(at, `NEAR/${n} is too far; use at most NEAR/${MAX_NEAR}`);
      out.push({ t: 'NEAR', at, n });
    } else out.push({ t: 'word', at, text: word });
  }
  out.push({ t: 'end', at: q.length + 1 });
  return out;
}

function describe(t: Token): string {
  switch (t.t) {
    case 'end': return 'the end of the query';
    case 'word': return `"${t.text}"`;
    case 'phrase': return `the phrase "${t.text}"`;
    case 'NEAR': return `NEAR/${t.n}`;
    default: return t.t;
  }
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  query(): QueryNode {
    const node = this.or('');
    const t = this.peek();
    if (t.t === ')') throw new QueryError(t.at, 'unexpected ")" with no "(" to close');
    if (t.t !== 'end') throw new QueryError(t.at, `unexpected ${describe(t)}`);
    return node;
  }

  private or(after: string): QueryNode {
    const children = [this.and(after)];
    while (this.peek().t === 'OR') {
      this.next();
      children.push(this.and(' after OR'));
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  private startsOperand(t: Token): boolean {
    return t.t === 'word' || t.t === 'phrase' || t.t === '(' || t.t === 'NOT';
  }

  private and(after: string): QueryNode {
    const children = [this.unary(after)];
    for (;;) {
      const t = this.peek();
      if (t.t === 'AND') {
        this.next();
        children.push(this.unary(' after AND'));
      } else if (this.startsOperand(t)) children.push(this.unary(''));
      else break;
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  private unary(after: string): QueryNode {
    if (this.peek().t === 'NOT') {
      this.next();
      return { kind: 'not', child: this.unary(' after NOT') };
    }
    return this.near(after);
  }

  private near(after: string): QueryNode {
    const left = this.primary(after);
    const op = this.peek();
    if (op.t !== 'NEAR') return left;
    if (left.kind !== 'term') throw new QueryError(op.at, 'NEAR joins two terms or "phrases", not a group');
    this.next();
    const rightAt = this.peek();
    const right = this.primary(` after NEAR/${op.n}`);
    if (right.kind !== 'term') throw new QueryError(rightAt.at, 'NEAR joins two terms or "phrases", not a group');
    const again = this.peek();
    if (again.t === 'NEAR') throw new QueryError(again.at, 'NEAR joins exactly two terms; combine more with AND, like a NEAR/3 b AND b NEAR/3 c');
    return { kind: 'near', left, right, distance: op.n };
  }

  private primary(after: string): QueryNode {
    const t = this.next();
    if (t.t === '(') {
      if (this.peek().t === ')') throw new QueryError(this.peek().at, 'expected a term inside "()"');
      const inner = this.or(' after "("');
      const close = this.peek();
      if (close.t !== ')') throw new QueryError(close.at, `expected ")" to close the "(" at ${t.at}`);
      this.next();
      return inner;
    }
    if (t.t === 'word') return wordTerm(t.text, t.at);
    if (t.t === 'phrase') return phraseTerm(t.text, t.at);
    throw new QueryError(t.at, `expected a term or "("${after}${t.t === 'end' ? '' : `, not ${describe(t)}`}`);
  }
}

function wordTerm(raw: string, at: number): TermNode {
  const star = raw.indexOf('*');
  if (star >= 0 && star !== raw.length - 1) throw new QueryError(at + star, '"*" goes only at the end of a term, like acme*');
  const prefix = star >= 0;
  const text = normalize(prefix ? raw.slice(0, -1) : raw).text;
  if (prefix && text.length < 2) throw new QueryError(at, 'a prefix needs at least 2 characters before *');
  if (!text) throw new QueryError(at, `"${raw}" has nothing to match once invisible characters are removed`);
  return { kind: 'term', text, prefix, at };
}

function phraseTerm(raw: string, at: number): TermNode {
  const text = normalize(raw).text;
  if (!text) throw new QueryError(at, 'expected words inside the quotes');
  return { kind: 'term', text, prefix: false, at };
}

/** Truth of a query when none of its terms occur: such a query would match every unrelated message. */
function matchesNothingPresent(n: QueryNode): boolean {
  switch (n.kind) {
    case 'term':
    case 'near': return false;
    case 'not': return !matchesNothingPresent(n.child);
    case 'and': return n.children.every(matchesNothingPresent);
    case 'or': return n.children.some(matchesNothingPresent);
  }
}

export function parseQuery(q: string): QueryNode {
  if (q.length > 2000) throw new QueryError(2001, 'a query is at most 2,000 characters');
  const node = new Parser(lex(q)).query();
  if (matchesNothingPresent(node)) {
    throw new QueryError(1, 'this query matches messages without any of its terms; add a term that must appear, like acme NOT spam');
  }
  return node;
}

/** Every term of a query, left to right. */
export function termsOf(n: QueryNode, out: TermNode[] = []): TermNode[] {
  switch (n.kind) {
    case 'term': out.push(n); break;
    case 'near': out.push(n.left, n.right); break;
    case 'not': termsOf(n.child, out); break;
    default: for (const c of n.children) termsOf(c, out);
  }
  return out;
}
