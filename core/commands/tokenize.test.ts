import { describe, expect, it } from 'vitest';
import { splitOptions, tokenize } from './tokenize.js';

describe('tokenize', () => {
  it.each([
    ['add Acme 1200', ['add', 'Acme', '1200']],
    ['add "Acme Corp" 12,000 EUR stage:proposal', ['add', 'Acme Corp', '12,000', 'EUR', 'stage:proposal']],
    ['add “Smart Quotes Ltd” 5k', ['add', 'Smart Quotes Ltd', '5k']],
    ["add 'Single Q' 5", ['add', 'Single Q', '5']],
    ["add O'Brien 5", ['add', "O'Brien", '5']],
    ['add X 1 title:"Big renewal" close:2026-07-01', ['add', 'X', '1', 'title:Big renewal', 'close:2026-07-01']],
    ['  spaced   out  ', ['spaced', 'out']],
    ['{"$gt": ""}', ['{"$gt":', '', '}']],
    ['', []],
  ])('%s', (input, expected) => {
    expect(tokenize(input)).toEqual(expected);
  });
});

describe('splitOptions', () => {
  it('takes only declared keys as options', () => {
    expect(splitOptions(['Acme', 'stage:lead', 'note:hi', 'tag:a', 'TAG:b'], ['stage', 'tag'])).toEqual({
      words: ['Acme', 'note:hi'],
      opts: { stage: ['lead'], tag: ['a', 'b'] },
    });
  });
});
