import { describe, expect, it } from 'vitest';
import { splitOptions, tokenize, unclosedQuote } from './tokenize.js';

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

describe('unclosedQuote', () => {
  it.each([
    ['add "Acme Corp" 5', null],
    ["add O'Brien 5", null],
    ['add 12" screen', null],
    ['add title:"Big renewal" 5', null],
    ['add "Acme Corp 5', 'The quote opened at character 5 ("Acme Corp 5) is not closed: end the phrase with ".'],
    ['add “Acme 5', 'The quote opened at character 5 (“Acme 5) is not closed: end the phrase with ”.'],
    ["add 'Acme Corp 5", "The quote opened at character 5 ('Acme Corp 5) is not closed: end the phrase with '."],
    ['add X 1 title:"Big renewal for the whole year', 'The quote opened at character 15 ("Big renewal for the who…) is not closed: end the phrase with ".'],
  ])('%s', (input, expected) => {
    expect(unclosedQuote(input)).toBe(expected);
  });
});
