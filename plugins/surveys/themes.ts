/**
 * Top themes of free-text answers: English words folded to their Porter stem (price, prices, pricing are
 * one theme), a negated word kept apart ("not good" is not "good"), and Chinese bigrams, minus stop words.
 */
import { stemmer } from 'stemmer';

const EN_STOP = new Set(`a about above after again all also am an and any are as at be because been before being below between both but by can
could did do does doing down during each few for from further get got had has have having he her here hers him his how i if in into is it
its just me more most my of off on once only or other our out over own really same she should so some such than that the
their them then there these they this those through to too under until up very was we were what when where which while who whom why will
with would you your yours yes ok okay much many thing things lot bit its im`.split(/\s+/));

/** Words that negate the next content word of their clause (apostrophes are already dropped). */
const NEGATORS = new Set(`not no never nor without cannot cant dont doesnt didnt isnt arent wasnt werent wont wouldnt shouldnt couldnt hasnt havent hadnt aint`.split(/\s+/));

// Chinese function words and characters that carry no theme.
const ZH_STOP = new Set(['我们', '你们', '他们', '因为', '所以', '但是', '就是', '还是', '一个', '这个', '那个', '没有', '非常', '觉得', '可以', '什么', '比较', '有点', '的话', '不是', '而且', '然后', '已经', '时候']);
const ZH_FILLER = new Set([...'的了是我你他她它们在有和也很都就还又吗呢吧啊呀哦嗯这那个把被给对']);
const ZH_STOP_RE = new RegExp([...ZH_STOP].join('|'), 'gu');
const ZH_SPLIT = new RegExp(`[\\s${[...ZH_FILLER].join('')}]+`, 'u');

/** One theme of one answer: `key` groups inflections (the stem), `label` is how the answer spelled it. */
export interface Term {
  key: string;
  label: string;
}

/** English terms of one answer, in order of appearance; a negator carries over stop words up to the clause's end. */
function englishTerms(lower: string): Term[] {
  const out: Term[] = [];
  let negated = false;
  for (const [token] of lower.matchAll(/[a-z][a-z0-9-]*[a-z0-9]|[a-z]|[.,;:!?()]/g)) {
    if (/^[.,;:!?()]$/.test(token)) negated = false;
    else if (NEGATORS.has(token)) negated = true;
    else if (token.length >= 3 && !EN_STOP.has(token)) {
      out.push(negated ? { key: `not ${stemmer(token)}`, label: `not ${token}` } : { key: stemmer(token), label: token });
      negated = false;
    }
  }
  return out;
}

/** The distinct terms of one answer (a term counts once per answer, so one long rant does not dominate). */
export function terms(text: string): Term[] {
  const lower = text.toLowerCase().replace(/['’]/g, '');
  const out = englishTerms(lower);
  // Stop words and function characters split a run of Han characters, so no bigram straddles them.
  const han = (lower.match(/\p{Script=Han}+/gu) ?? []).join(' ').replace(ZH_STOP_RE, ' ');
  for (const piece of han.split(ZH_SPLIT)) {
    const chars = [...piece];
    for (let i = 0; i + 1 < chars.length; i++) out.push({ key: chars[i]! + chars[i + 1]!, label: chars[i]! + chars[i + 1]! });
  }
  const seen = new Set<string>();
  return out.filter((t) => !seen.has(t.key) && seen.add(t.key));
}

/** Most frequent themes; ties keep the order in which the themes first appeared. Each is shown as first spelled. */
export function topThemes(answers: string[], limit = 5): { term: string; count: number }[] {
  const counts = new Map<string, { term: string; count: number }>();
  for (const a of answers) {
    for (const t of terms(a)) {
      const hit = counts.get(t.key);
      if (hit) hit.count += 1;
      else counts.set(t.key, { term: t.label, count: 1 });
    }
  }
  // Map iteration follows first insertion and Array.prototype.sort is stable, so equal counts keep first appearance.
  return [...counts.values()].sort((x, y) => y.count - x.count).slice(0, limit);
}
