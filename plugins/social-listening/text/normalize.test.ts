import { describe, expect, it } from 'vitest';
import { normalize } from './normalize.js';

describe('normalize', () => {
  it.each([
    ['accents', 'Crème Brûlée Café', 'creme brulee cafe'],
    ['case', 'ACME Corp', 'acme corp'],
    ['full width', 'ＡＣＭＥ　ｃｏｒｐ１２', 'acme corp12'],
    ['half-width kana keeps voicing', 'ｶﾞｲﾄﾞ', 'ガイド'],
    ['ligature', 'ﬁne', 'fine'],
    ['zero-width split', 'ac\u200bm\u200de\u2060\ufeff and a\u00adcme', 'acme and acme'],
    ['cyrillic look-alikes', 'Асmе', 'acme'],
    ['greek look-alikes', 'ΑCΜΕ ορα', 'acme opa'],
    ['mixed homoglyphs', 'асmе соrр', 'acme corp'],
    ['german sharp s', 'Straße', 'strasse'],
    ['turkish dotted I', 'İstanbul', 'istanbul'],
    ['whitespace collapse', '  a \t\n  b  ', 'a b'],
    ['chinese untouched', '阿克米的服务很好', '阿克米的服务很好'],
    ['circled digit', '①', '1'],
    ['emoji kept', 'ok 👍', 'ok 👍'],
  ])('%s', (_name, input, expected) => {
    expect(normalize(input).text).toBe(expected);
  });

  it('maps normalized offsets back to the original text', () => {
    const input = 'Hé ＡＣ\u200bＭＥ!';
    const { text, origin } = normalize(input);
    expect(text).toBe('he acme!');
    const start = text.indexOf('acme');
    const end = start + 4 - 1;
    expect(input.slice(origin[start], origin[end]! + 1)).toBe('ＡＣ\u200bＭＥ');
  });

  it('maps expansions to their source character', () => {
    const { text, origin } = normalize('x ﬁ y');
    expect(text).toBe('x fi y');
    expect(origin).toEqual([0, 1, 2, 2, 3, 4]);
  });
});
