import { describe, expect, it } from 'vitest';
import { parseQuery } from '../query/parse.js';
import { foldUnit } from '../text/normalize.js';
import { Matcher } from './matcher.js';
import { prng } from './prng.js';

function matches(query: string, text: string): boolean {
  return new Matcher([{ name: 'q', query: parseQuery(query) }]).match(text).length === 1;
}

describe('Matcher: one query', () => {
  it.each([
    // terms, boundaries, normalization
    ['acme', 'I love Acme!', true],
    ['acme', 'acmecorp is fine', false],
    ['acme', 'the pacme thing', false],
    ['acme', 'ＡＣＭＥ rocks', true],
    ['acme', 'Ac\u200bme rocks', true],
    ['acme', 'асmе rocks (cyrillic a, c, e)', true],
    ['acme', "acme's support", true],
    ['acme', 'ACME_corp', false],
    ['café', 'best CAFE in town', true],
    // phrases
    ['"acme support"', 'ACME   support is slow', true],
    ['"acme support"', 'acme, support', false],
    // prefix
    ['brand*', 'Brandy and brands', true],
    ['brand*', 'rebrand', false],
    ['brand*', 'brand', true],
    // boolean
    ['acme corp', 'corp of acme', true],
    ['acme corp', 'acme only', false],
    ['acme OR acmecorp', 'acmecorp rules', true],
    ['acme NOT spam', 'acme deal', true],
    ['acme NOT spam', 'acme spam deal', false],
    ['acme AND NOT (spam OR ad)', 'acme ad', false],
    ['(acme OR widget) AND refund', 'widget refund please', true],
    ['(acme OR widget) AND refund', 'widget please', false],
    // NEAR: at most n words between
    ['acme NEAR/0 refund', 'acme refund', true],
    ['acme NEAR/0 refund', 'acme wants refund', false],
    ['acme NEAR/2 refund', 'refund from the acme', true],
    ['acme NEAR/2 refund', 'acme gave me no real refund', false],
    ['"acme app" NEAR/1 crash*', 'the acme app always crashes', true],
    ['acme NEAR/1 acme', 'acme acme', true],
    ['acme NEAR/1 acme', 'acme', false],
    ['阿克米 NEAR/2 退款', '阿克米不给退款', true],
    ['阿克米 NEAR/2 退款', '阿克米的客服一直不给我退款', false],
    // CJK: substring, no spaces
    ['阿克米', '我觉得阿克米的服务很差', true],
    ['阿克米', '阿克', false],
    ['acme', '我觉得acme的服务很差', true],
    ['ガイド', 'ｶﾞｲﾄﾞが便利', true],
  ])('%s ~ %s -> %s', (q, text, expected) => {
    expect(matches(q, text)).toBe(expected);
  });
});

describe('Matcher: many queries', () => {
  const m = new Matcher([
    { name: 'brand', query: parseQuery('"acme" OR acmecorp') },
    { name: 'refunds', query: parseQuery('refund* NOT spam') },
    { name: 'cn', query: parseQuery('阿克米') },
  ]);

  it('reports every matching query, once, with original spans', () => {
    const text = 'ACME refunds? Acme said no. 阿克米!';
    const got = m.match(text);
    expect(got.map((g) => g.name)).toEqual(['brand', 'refunds', 'cn']);
    expect(got[0]!.spans.map(([a, b]) => text.slice(a, b))).toEqual(['ACME', 'Acme']);
    expect(got[1]!.spans.map(([a, b]) => text.slice(a, b))).toEqual(['refund']);
    expect(got[2]!.spans.map(([a, b]) => text.slice(a, b))).toEqual(['阿克米']);
  });

  it('matches nothing in unrelated text and keeps state clean between messages', () => {
    expect(m.match('nothing here')).toEqual([]);
    expect(m.match('refund spam')).toEqual([]);
    expect(m.match('refund').map((g) => g.name)).toEqual(['refunds']);
  });

  it('maps spans through width and zero-width folding', () => {
    const text = 'hey ＡＣ\u200bＭＥ';
    const [g] = m.match(text);
    expect(text.slice(...g!.spans[0]!)).toBe('ＡＣ\u200bＭＥ');
  });

  it('has no queries: matches nothing', () => {
    expect(new Matcher([]).match('acme')).toEqual([]);
  });
});

describe('Matcher: the fast path (raw text folded on the fly) equals the slow path (normalized copy)', () => {
  const VOCABULARY = ['acme', 'corp', 'café', 'cafe', 'straße', 'strasse', 'über', 'naïve', 'ab', 'b', '阿克米', '公司', '米', 'ｶﾞｲﾄﾞ', 'ガイド', 'ＡＣＭＥ', 'µs', 'x²'];
  const ALPHABET = [
    ...'abcdefghijklmnopqrstuvwxyzACMEZ0123456789.,!?\'_-', ' ', ' ', '  ', '\t', '\n',
    ...'éÉßñüÜøØæ×ªµ²¼¿\u00a0\u00ad',
    ...'阿克米公司的好很ガイｶﾞ',
    '\u200b', '\u0301',
  ];
  const rnd = prng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const variant = (w: string) => [...w].map((c) => (rnd() < 0.3 ? c.toUpperCase() : c)).join(rnd() < 0.1 ? '\u200b' : '');
  const term = () => {
    const w = pick(VOCABULARY);
    const r = rnd();
    return r < 0.15 ? `"${w} ${pick(VOCABULARY)}"` : r < 0.3 ? `${w}*` : w;
  };
  const query = () => {
    const r = rnd();
    if (r < 0.3) return term();
    if (r < 0.5) return `${term()} OR ${term()}`;
    if (r < 0.65) return `${term()} AND NOT ${term()}`;
    if (r < 0.8) return `${term()} ${term()}`;
    return `${pick(VOCABULARY)} NEAR/${Math.floor(rnd() * 3)} ${pick(VOCABULARY)}`;
  };
  const text = () => Array.from({ length: Math.floor(rnd() * 40) }, () => (rnd() < 0.25 ? variant(pick(VOCABULARY)) : pick(ALPHABET))).join('');

  it('gives identical matches and spans on random ASCII, Latin-1 and CJK texts', () => {
    const queries = Array.from({ length: 60 }, (_, i) => ({ name: `q${i}`, query: parseQuery(query()) }));
    const fast = new Matcher(queries);
    const slow = new Matcher(queries, { fastPath: false });
    let onFastPath = 0;
    let matched = 0;
    for (let k = 0; k < 3000; k++) {
      const t = text();
      const got = fast.match(t);
      expect(got, JSON.stringify(t)).toEqual(slow.match(t));
      if ([...t].every((c) => c.length === 1 && foldUnit(c.charCodeAt(0)) >= 0)) onFastPath++;
      if (got.length) matched++;
    }
    // Both kinds of text, and plenty of matches, were compared.
    expect(onFastPath).toBeGreaterThan(300);
    expect(3000 - onFastPath).toBeGreaterThan(300);
    expect(matched).toBeGreaterThan(1000);
  });
});
