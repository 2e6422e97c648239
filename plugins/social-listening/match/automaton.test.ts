import { describe, expect, it } from 'vitest';
import { Automaton } from './automaton.js';
import { prng } from './prng.js';

function units(s: string): Uint16Array {
  return Uint16Array.from(s, (c) => c.charCodeAt(0));
}

function scan(a: Automaton, text: string): string[] {
  const u = Uint16Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));
  const n = a.scan(u, u.length);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`${a.hitPattern[i]}@${a.hitEnd[i]}`);
  return out.sort();
}

/** Reference: every (overlapping) occurrence by indexOf. */
function naive(patterns: string[], text: string): string[] {
  const out: string[] = [];
  patterns.forEach((p, pid) => {
    for (let i = text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) out.push(`${pid}@${i + p.length - 1}`);
  });
  return out.sort();
}

describe('Automaton', () => {
  it('finds overlapping and nested patterns (the classic he/she/his/hers case)', () => {
    const pats = ['he', 'she', 'his', 'hers'];
    expect(scan(new Automaton(pats), 'ushers')).toEqual(naive(pats, 'ushers'));
    expect(scan(new Automaton(pats), 'ushers')).toEqual(['0@3', '1@3', '3@5']);
  });

  it('handles Han characters through sparse edges', () => {
    const pats = ['阿克米', '克米公司', '米', 'acme'];
    const text = '我喜欢阿克米公司的acme产品，米';
    expect(scan(new Automaton(pats), text)).toEqual(naive(pats, text));
    expect(units(text).length).toBe(text.length);
  });

  it.each([
    ['small latin alphabet', 'abc', 1],
    ['latin plus han', 'abcdefg 阿克米公司品牌好', 2],
    ['wide alphabet (forces sparse symbols)', 'abcdefghijklmnopqrstuvwxyz0123456789阿克米公司品牌好坏很非常服务支持产品问题价格客户体验漂亮快慢贵便宜错对', 3],
  ])('agrees with a naive matcher on random inputs: %s', (_name, alphabet, seed) => {
    const rnd = prng(seed);
    const pick = () => alphabet[Math.floor(rnd() * alphabet.length)]!;
    const word = (min: number, max: number) => Array.from({ length: min + Math.floor(rnd() * (max - min + 1)) }, pick).join('');
    for (let round = 0; round < 40; round++) {
      const pats = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 60) }, () => word(1, 6)))];
      const a = new Automaton(pats);
      for (let k = 0; k < 10; k++) {
        const text = word(0, 300);
        expect(scan(a, text)).toEqual(naive(pats, text));
      }
    }
  });
});
