import type { Sentiment } from '../../../core/plugin-api.js';
import { CJK, classOf } from '../text/chars.js';
import { chineseDrivers } from './chinese.js';
import { englishDrivers, type Driver } from './english.js';
import { EMOJI, EN_CONCESSION, EN_CONTRAST, POLITE, SARCASM, ZH_CONCESSION, ZH_CONTRAST } from './lexicon.js';
import { toSimplified } from './simplify.js';

export type { Driver } from './english.js';

/** Squashes the raw sum into (-1, 1) like VADER's x / sqrt(x^2 + alpha). */
const ALPHA = 6;
export const THRESHOLD = 0.2;
/** What a clause weighs when a later clause turns it around ("pretty, but slow") or when it concedes (虽然…). */
const TURNED = 0.25;
/** In a question, only words at least this strong count: "does Acme work with Outlook?" asks, it does not judge. */
const QUESTION_MIN = 1.2;
/** How many drivers a score keeps for `/mentions why`. */
const MAX_DRIVERS = 6;

export interface SentimentScore {
  score: number;
  label: Sentiment;
  /** The words that moved the score most, strongest first, with their signed share of the raw sum. */
  drivers: Driver[];
}

const CLAUSE = /[^.!?;。！？；\n,，、…~～]+[.!?;。！？；\n,，、…~～]*/g;
const CONTRAST = new RegExp(`\\b(?:${EN_CONTRAST.join('|')})\\b|${ZH_CONTRAST.join('|')}`, 'gi');
const CONCESSION = new RegExp(`^\\s*(?:(?:${EN_CONCESSION.join('|')})\\b|${ZH_CONCESSION.join('|')})`, 'i');
const ASKING = /^\s*(?:does|do|did|is|are|was|can|could|would|will|should|how|what|where|when|which|who|whom|why|anyone|any|has|have|请问|有没有|有人|是否|哪|怎么|什么|为什么|为何|多少|几)/i;
const ASKED = /[?？]|[吗嘛呢][\s\p{P}]*$/u;
const PICTO = /\p{Extended_Pictographic}/gu;
/** A Chinese negator right before an English word negates it: 又不work了. */
const ZH_NEGATOR = /[不没别未]/;
/** Runs without a Latin letter (brand-free punctuation, emoji) have no English words to look up. */
const LATIN = /[a-z]/i;
/** What a sarcasm marker that is not an emoji (/s, "yeah right") weighs by itself. */
const SARCASM_MARK = -1.5;

interface Clause {
  text: string;
  weight: number;
  question: boolean;
}

/** Clauses in reading order; those before a contrast word, and conceding ones, weigh TURNED. */
function clauses(text: string): Clause[] {
  const out: Clause[] = [];
  for (const c of text.match(CLAUSE) ?? []) {
    const question = ASKED.test(c) || ASKING.test(c);
    let from = 0;
    for (const m of c.matchAll(CONTRAST)) {
      if (m.index! > from) out.push({ text: c.slice(from, m.index), weight: 1, question });
      for (const prev of out) prev.weight = Math.min(prev.weight, TURNED);
      from = m.index! + m[0].length;
    }
    out.push({ text: c.slice(from), weight: 1, question });
  }
  for (const c of out) if (CONCESSION.test(c.text)) c.weight = Math.min(c.weight, TURNED);
  return out;
}

/** Drivers of one clause: English runs through the package, Chinese runs through the Chinese rules, emoji from the table. */
function clauseDrivers(text: string): Driver[] {
  const out: Driver[] = [];
  let i = 0;
  while (i < text.length) {
    const cjk = classOf(text.charCodeAt(i)) === CJK;
    let j = i + 1;
    while (j < text.length && (classOf(text.charCodeAt(j)) === CJK) === cjk) j++;
    const run = text.slice(i, j);
    if (cjk) out.push(...chineseDrivers(run));
    else if (LATIN.test(run)) out.push(...englishDrivers(ZH_NEGATOR.test(text[i - 1] ?? '') ? `not ${run}` : run));
    i = j;
  }
  for (const m of text.matchAll(PICTO)) {
    const w = EMOJI[m[0]];
    if (w) out.push({ word: m[0], weight: w });
  }
  return out;
}

export function sentiment(text: string): SentimentScore {
  const t = toSimplified(text.normalize('NFKC'));
  const sarcasm = SARCASM.exec(t.toLowerCase());
  let all: Driver[] = [];
  for (const c of clauses(t)) {
    for (const d of clauseDrivers(c.text)) {
      if (c.question && Math.abs(d.weight) < QUESTION_MIN) continue;
      // Sarcasm marked by /s, 🙄, "yeah right" or scare quotes: the praise means the opposite.
      const weight = (sarcasm && d.weight > 0 ? -d.weight : d.weight) * c.weight;
      all.push({ word: d.word, weight });
    }
  }
  if (sarcasm && !sarcasm[0].match(PICTO)) all.push({ word: sarcasm[0].trim(), weight: SARCASM_MARK });
  if (all.some((d) => d.weight < 0)) all = all.filter((d) => !(d.weight > 0 && POLITE.has(d.word.toLowerCase())));
  const raw = all.reduce((s, d) => s + d.weight, 0);
  const score = Math.max(-0.999, Math.min(0.999, Math.round((raw / Math.sqrt(raw * raw + ALPHA)) * 1000) / 1000));
  const drivers = all
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, MAX_DRIVERS)
    .map((d) => ({ word: d.word, weight: Math.round(d.weight * 100) / 100 }));
  return { score, label: score >= THRESHOLD ? 'positive' : score <= -THRESHOLD ? 'negative' : 'neutral', drivers };
}
