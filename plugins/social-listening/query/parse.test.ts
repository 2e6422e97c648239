import { describe, expect, it } from 'vitest';
import { parseQuery, QueryError, type QueryNode } from './parse.js';

/** Compact rendering of a tree so table rows stay one line. */
function show(n: QueryNode): string {
  switch (n.kind) {
    case 'term': return n.text.includes(' ') ? `"${n.text}"` : `${n.text}${n.prefix ? '*' : ''}`;
    case 'not': return `NOT(${show(n.child)})`;
    case 'near': return `NEAR${n.distance}(${show(n.left)},${show(n.right)})`;
    default: return `${n.kind.toUpperCase()}(${n.children.map(show).join(',')})`;
  }
}

describe('parseQuery: valid', () => {
  it.each([
    ['acme', 'acme'],
    ['Acme', 'acme'],
    ['"acme support"', '"acme support"'],
    ['“Acme  Support”', '"acme support"'],
    ['acme corp', 'AND(acme,corp)'],
    ['acme AND corp', 'AND(acme,corp)'],
    ['acme OR acmecorp', 'OR(acme,acmecorp)'],
    ['"acme" OR acmecorp', 'OR(acme,acmecorp)'],
    ['a b OR c', 'OR(AND(a,b),c)'],
    ['a (b OR c)', 'AND(a,OR(b,c))'],
    ['acme NOT spam', 'AND(acme,NOT(spam))'],
    ['acme AND NOT (spam OR ad)', 'AND(acme,NOT(OR(spam,ad)))'],
    ['acme NEAR/3 refund', 'NEAR3(acme,refund)'],
    ['"acme app" NEAR/0 crash*', 'NEAR0(\"acme app\",crash*)'],
    ['brand*', 'brand*'],
    ['阿克米 OR 阿克米公司', 'OR(阿克米,阿克米公司)'],
    ['ＡＣＭＥ', 'acme'],
    ['and or not', 'AND(and,or,not)'],
    ['((acme))', 'acme'],
  ])('%s', (q, expected) => {
    expect(show(parseQuery(q))).toBe(expected);
  });
});

describe('parseQuery: malformed, with position and expectation', () => {
  it.each([
    ['', 'at 1: expected a term or "("'],
    ['acme AND', 'at 9: expected a term or "(" after AND'],
    ['acme AND OR corp', 'at 10: expected a term or "(" after AND, not OR'],
    ['acme OR', 'at 8: expected a term or "(" after OR'],
    ['(acme OR corp', 'at 14: expected ")" to close the "(" at 1'],
    ['acme)', 'at 5: unexpected ")" with no "(" to close'],
    ['()', 'at 2: expected a term inside "()"'],
    ['"acme', 'at 1: expected a closing " for the phrase opened here'],
    ['acme NEAR refund', 'at 6: expected NEAR/<number of words>, like NEAR/5'],
    ['acme NEAR/x refund', 'at 6: expected NEAR/<number of words>, like NEAR/5'],
    ['acme NEAR/500 refund', 'at 6: NEAR/500 is too far; use at most NEAR/100'],
    ['(a OR b) NEAR/2 c', 'at 10: NEAR joins two terms or "phrases", not a group'],
    ['a NEAR/2 (b OR c)', 'at 10: NEAR joins two terms or "phrases", not a group'],
    ['a NEAR/2 b NEAR/2 c', 'at 12: NEAR joins exactly two terms; combine more with AND, like a NEAR/3 b AND b NEAR/3 c'],
    ['ac*me', 'at 3: "*" goes only at the end of a term, like acme*'],
    ['a*', 'at 1: a prefix needs at least 2 characters before *'],
    ['"  "', 'at 1: expected words inside the quotes'],
    ['NOT spam', 'at 1: this query matches messages without any of its terms; add a term that must appear, like acme NOT spam'],
    ['acme OR NOT spam', 'at 1: this query matches messages without any of its terms; add a term that must appear, like acme NOT spam'],
    ['\u200b', 'at 1: "\u200b" has nothing to match once invisible characters are removed'],
  ])('%j', (q, message) => {
    let err: unknown;
    try {
      parseQuery(q);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QueryError);
    expect((err as Error).message).toBe(message);
  });
});
