import type { Driver } from './english.js';
import { ZH_INTENSIFIERS, ZH_MAX, ZH_NEGATORS, ZH_WORDS } from './lexicon.js';

type Token = { k: 'word'; s: string; w: number } | { k: 'neg'; s: string } | { k: 'int'; s: string; x: number } | { k: 'other' };

/** How far back (in tokens) a negator or degree adverb reaches: 不太好, 没出过问题. */
const WINDOW = 3;
/** A negated word flips and weakens: 不好 is milder than 差. */
const NEGATION = -0.75;

/** Every entry as its token, built once, and the characters entries start with (most characters start none). */
const ENTRIES = new Map<string, Token>([
  ...Object.entries(ZH_WORDS).map(([s, w]): [string, Token] => [s, { k: 'word', s, w }]),
  ...Object.entries(ZH_INTENSIFIERS).map(([s, x]): [string, Token] => [s, { k: 'int', s, x }]),
  ...[...ZH_NEGATORS].map((s): [string, Token] => [s, { k: 'neg', s }]),
]);
const STARTS = new Set([...ENTRIES.keys()].map((s) => s[0]!));
const OTHER: Token = { k: 'other' };

/** Longest-match scan of Simplified Chinese, so 不错 (good) wins over 不 (not) and 好用 over 好. */
function tokens(run: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < run.length) {
    let len = STARTS.has(run[i]!) ? Math.min(ZH_MAX, run.length - i) : 0;
    let tok: Token | undefined;
    while (len > 0 && !(tok = ENTRIES.get(run.slice(i, i + len)))) len--;
    out.push(tok ?? OTHER);
    i += Math.max(len, 1);
  }
  return out;
}

/** Drivers of a run of Chinese characters, with negation and degree adverbs applied to the word they precede. */
export function chineseDrivers(run: string): Driver[] {
  const toks = tokens(run);
  const out: Driver[] = [];
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i]!;
    if (tok.k !== 'word' || tok.w === 0) continue;
    let w = tok.w;
    let word = tok.s;
    for (let j = i - 1; j >= 0 && j >= i - WINDOW; j--) {
      const m = toks[j]!;
      if (m.k === 'word') break;
      if (m.k === 'neg') {
        w *= NEGATION;
        word = `${m.s}${j === i - 1 ? '' : '…'}${word}`;
      } else if (m.k === 'int') w *= m.x;
    }
    out.push({ word, weight: w });
  }
  return out;
}
