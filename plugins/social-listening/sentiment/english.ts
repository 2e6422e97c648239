import wink from 'wink-sentiment';
import { EN_PHRASES, EN_WORDS } from './lexicon.js';

/** A word or phrase that moved the score, with its signed weight (-3..3 scale) after negation and boosters. */
export interface Driver {
  word: string;
  weight: number;
}

/** wink-sentiment scores on AFINN's -5..5; the scorer works on -3..3. */
const AFINN_SCALE = 0.6;
/** VADER's booster words: the next scored word counts this much more (its B_INCR is 0.293 on a -4..4 scale). */
const BOOSTERS = new Set(['very', 'really', 'so', 'super', 'extremely', 'totally', 'absolutely', 'too', 'incredibly', 'truly', 'completely', 'utterly', 'highly', 'painfully', 'terribly', 'insanely', 'seriously', 'such', 'most']);
const BOOST = 1.3;
/** VADER's cap emphasis: an ALL-CAPS word in a text that is not all caps (its C_INCR is 0.733 on -4..4). */
const CAPS = 1.3;
const NEGATORS = new Set(['not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'cannot', 'without', 'hardly', 'barely', 'dont', 'doesnt', 'didnt', 'cant', 'wont', 'isnt', 'wasnt', 'aint', 'arent', 'couldnt', 'wouldnt', 'shouldnt', 'havent', 'hasnt']);
const NEGATION = -0.75;

/** All phrases in one pass: group i is phrase i (the phrases themselves use only non-capturing groups). */
const PHRASES = new RegExp(EN_PHRASES.map(([re]) => `(${re.source})`).join('|'), 'g');

const negator = (w: string) => NEGATORS.has(w) || w.endsWith("n't");

/**
 * English drivers of a run of Latin-script text: the phrase list first (blanked out so the words inside do
 * not count twice), then wink-sentiment's AFINN words and emoji-free tokens with its negation, corrected by
 * the brand-talk word list, then VADER's booster and capitals rules.
 */
export function englishDrivers(run: string): Driver[] {
  const out: Driver[] = [];
  let lower = run.toLowerCase().replace(/[’`]/g, "'");
  for (const m of lower.matchAll(PHRASES)) {
    out.push({ word: m[0], weight: EN_PHRASES[m.slice(1).findIndex((g) => g !== undefined)]![1] });
    lower = lower.slice(0, m.index) + ' '.repeat(m[0].length) + lower.slice(m.index + m[0].length);
  }
  // Capitals are read from the original spelling when lower-casing kept every offset (it does for ASCII).
  const original = run.length === lower.length ? run : lower;
  const allCaps = original === original.toUpperCase();
  const tokens = wink(lower).tokenizedPhrase ?? [];
  const words = tokens.filter((t) => t.tag === 'word' || t.tag === 'hashtag');
  // Map back to the original spelling to see capitals: tokens come out in order.
  let at = 0;
  for (let i = 0; i < words.length; i++) {
    const t = words[i]!;
    const pos = lower.indexOf(t.value.toLowerCase(), at);
    // A scored AFINN bigram ("not working") is reported as both words.
    const shown = (pos >= 0 ? original.slice(pos, pos + t.value.length) : t.value) + (t.grouped ? ` ${words[i + 1]?.value ?? ''}` : '');
    if (pos >= 0) at = pos + t.value.length;
    const w = t.value.toLowerCase();
    let weight: number;
    const own = EN_WORDS[w];
    if (own !== undefined) {
      weight = own;
      if (weight && (negator(words[i - 1]?.value ?? '') || negator(words[i - 2]?.value ?? ''))) weight *= NEGATION;
    } else {
      if (!t.score) continue;
      // wink flips a negated word fully; VADER's rule (x -0.74) is milder, so "not great" is not "awful".
      weight = t.negation ? -t.score * AFINN_SCALE * NEGATION : t.score * AFINN_SCALE;
    }
    if (!weight) continue;
    if (BOOSTERS.has(words[i - 1]?.value.toLowerCase() ?? '')) weight *= BOOST;
    if (!allCaps && shown.length > 1 && shown === shown.toUpperCase() && /[A-Z]/.test(shown)) weight *= CAPS;
    out.push({ word: shown, weight });
  }
  return out;
}
