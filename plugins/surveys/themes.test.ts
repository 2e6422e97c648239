import { describe, expect, it } from 'vitest';
import { terms, topThemes } from './themes.js';

describe('themes', () => {
  it.each([
    ['The delivery was really fast!', ['delivery', 'fast']],
    // Intentional change: a negated word is its own theme.
    ["Support didn't answer my e-mail", ['support', 'not answer', 'e-mail']],
    ['Not good, but the price is good', ['not good', 'price', 'good']],
    ['never very helpful. staff polite', ['not helpful', 'staff', 'polite']],
    ['no refund', ['not refund']],
    ['Prices, pricing and the price', ['prices']],
    ['快递很快，服务很好', ['快递', '服务']],
    ['价格太贵了', ['价格', '格太', '太贵']],
    ['我们觉得非常好', []],
    ['ok ok ok', []],
  ])('%s -> %j', (text, expected) => {
    expect(terms(text).map((t) => t.label)).toEqual(expected);
  });

  it.each([
    ['price', 'prices', 'pricing', 'priced'],
    ['delivery', 'deliveries'],
    ['support', 'supported', 'supporting'],
  ])('folds %s and its inflections into one theme', (...words) => {
    expect(new Set(words.map((w) => terms(w)[0]!.key)).size).toBe(1);
  });

  it('keeps "not good" apart from "good"', () => {
    expect(topThemes(['good service', 'not good', 'not good at all', 'good'])).toEqual([
      { term: 'good', count: 2 },
      { term: 'not good', count: 2 },
      { term: 'service', count: 1 },
    ]);
  });

  it('counts a term once per answer, ranks by count, then by first appearance', () => {
    expect(topThemes(['price price price', 'slow delivery', 'delivery late', 'Pricing high', '快递慢', '快递很快'], 3)).toEqual([
      { term: 'price', count: 2 },
      { term: 'delivery', count: 2 },
      { term: '快递', count: 2 },
    ]);
    expect(topThemes(['zebra apple', 'apple zebra'])).toEqual([{ term: 'zebra', count: 2 }, { term: 'apple', count: 2 }]);
    expect(topThemes([])).toEqual([]);
  });
});
