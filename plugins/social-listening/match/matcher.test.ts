import { describe, expect, it } from 'vitest';
import { parseQuery } from '../query/parse.js';
import { Matcher } from './matcher.js';

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
