import { describe, expect, it } from 'vitest';
import { terms, topThemes } from './themes.js';

describe('themes', () => {
  it.each([
    ['The delivery was really fast!', ['delivery', 'fast']],
    ["Support didn't answer my e-mail", ['support', 'answer', 'e-mail']],
    ['快递很快，服务很好', ['快递', '服务']],
    ['价格太贵了', ['价格', '格太', '太贵']],
    ['我们觉得非常好', []],
    ['ok ok ok', []],
  ])('%s -> %j', (text, expected) => {
    expect([...terms(text)].sort()).toEqual([...expected].sort());
  });

  it('counts a term once per answer and ranks by count, then alphabetically', () => {
    expect(topThemes(['price price price', 'slow delivery', 'delivery late', 'price high', '快递慢', '快递很快'], 3)).toEqual([
      { term: 'delivery', count: 2 },
      { term: 'price', count: 2 },
      { term: '快递', count: 2 },
    ]);
    expect(topThemes([])).toEqual([]);
  });
});
