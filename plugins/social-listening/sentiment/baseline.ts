/**
 * The lexicon scorer listening used before issue #20, unchanged: kept only as the sentiment bench's baseline
 * (accuracy and messages/s), so every run measures the current scorer against it.
 */
import type { Sentiment } from '../../../core/plugin-api.js';
import { classOf, CJK, WORD } from '../text/chars.js';
import { normalize } from '../text/normalize.js';
import { EN_CONTRAST, EN_INTENSIFIERS, EN_NEGATORS, EN_WORDS, ZH_CONTRAST, ZH_INTENSIFIERS, ZH_MAX, ZH_NEGATORS, ZH_WORDS } from './baseline-lexicon.js';

type Token =
  | { k: 'word'; w: number }
  | { k: 'neg' }
  | { k: 'int'; x: number }
  | { k: 'contrast' }
  | { k: 'stop' }
  | { k: 'other' };

/** English words, Chinese longest-match entries, and clause punctuation, in reading order. */
function tokens(text: string): Token[] {
  const t = normalize(text).text.replace(/[’`]/g, "'");
  const out: Token[] = [];
  let i = 0;
  while (i < t.length) {
    const c = classOf(t.charCodeAt(i));
    if (c === WORD) {
      let j = i;
      while (j < t.length && (classOf(t.charCodeAt(j)) === WORD || (t[j] === "'" && classOf(t.charCodeAt(j + 1)) === WORD))) j++;
      out.push(english(t.slice(i, j)));
      i = j;
    } else if (c === CJK) {
      let len = Math.min(ZH_MAX, t.length - i);
      let tok: Token | null = null;
      while (len > 0 && !(tok = chinese(t.slice(i, i + len)))) len--;
      out.push(tok ?? { k: 'other' });
      i += Math.max(len, 1);
    } else {
      if (/[.!?;,:\n]/.test(t[i]!)) out.push({ k: 'stop' });
      i++;
    }
  }
  return out;
}

function english(w: string): Token {
  if (EN_NEGATORS.has(w) || w.endsWith("n't")) return { k: 'neg' };
  if (EN_CONTRAST.has(w)) return { k: 'contrast' };
  const x = EN_INTENSIFIERS[w];
  if (x !== undefined) return { k: 'int', x };
  const v = EN_WORDS[w];
  return v !== undefined ? { k: 'word', w: v } : { k: 'other' };
}

function chinese(s: string): Token | null {
  if (ZH_NEGATORS.has(s)) return { k: 'neg' };
  if (ZH_CONTRAST.has(s)) return { k: 'contrast' };
  const x = ZH_INTENSIFIERS[s];
  if (x !== undefined) return { k: 'int', x };
  const v = ZH_WORDS[s];
  return v !== undefined ? { k: 'word', w: v } : null;
}

/** How far back (in tokens, within the clause) a negator or intensifier reaches. */
const WINDOW = 3;
/** A negated word flips and weakens: "not good" is milder than "bad". */
const NEGATION = -0.75;
/** Squashes the raw sum into (-1, 1) like VADER's x / sqrt(x^2 + alpha). */
const ALPHA = 6;
const THRESHOLD = 0.2;

export function sentiment(text: string): { score: number; label: Sentiment } {
  const toks = tokens(text);
  let before = 0; // clause weights before a contrast word ("good, but slow")
  let raw = 0;
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i]!;
    if (tok.k === 'contrast') {
      before += raw * 0.5;
      raw = 0;
      continue;
    }
    if (tok.k !== 'word' || tok.w === 0) continue;
    let w = tok.w;
    for (let j = i - 1; j >= 0 && j >= i - WINDOW; j--) {
      const m = toks[j]!;
      if (m.k === 'stop' || m.k === 'contrast' || m.k === 'word') break;
      if (m.k === 'neg') w *= NEGATION;
      else if (m.k === 'int') w *= m.x;
    }
    raw += w;
  }
  raw = before + raw * (before !== 0 ? 1.5 : 1);
  const score = Math.max(-0.999, Math.min(0.999, Math.round((raw / Math.sqrt(raw * raw + ALPHA)) * 1000) / 1000));
  return { score, label: score >= THRESHOLD ? 'positive' : score <= -THRESHOLD ? 'negative' : 'neutral' };
}
