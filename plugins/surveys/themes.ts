/** Top themes of free-text answers: frequent English words and Chinese bigrams, minus stop words. */

const EN_STOP = new Set(`a about above after again all also am an and any are as at be because been before being below between both but by can
could did do does doing down during each few for from further get got had has have having he her here hers him his how i if in into is it
its just me more most my no nor not now of off on once only or other our out over own really same she should so some such than that the
their them then there these they this those through to too under until up very was we were what when where which while who whom why will
with would you your yours yes ok okay much many thing things lot bit its im dont didnt cant wasnt isnt`.split(/\s+/));

// Chinese function words and characters that carry no theme.
const ZH_STOP = new Set(['我们', '你们', '他们', '因为', '所以', '但是', '就是', '还是', '一个', '这个', '那个', '没有', '非常', '觉得', '可以', '什么', '比较', '有点', '的话', '不是', '而且', '然后', '已经', '时候']);
const ZH_FILLER = new Set([...'的了是我你他她它们在有和也很都就还又吗呢吧啊呀哦嗯这那个把被给对']);
const ZH_STOP_RE = new RegExp([...ZH_STOP].join('|'), 'gu');
const ZH_SPLIT = new RegExp(`[\\s${[...ZH_FILLER].join('')}]+`, 'u');

/** The distinct terms of one answer (a term counts once per answer, so one long rant does not dominate). */
export function terms(text: string): Set<string> {
  const out = new Set<string>();
  const lower = text.toLowerCase().replace(/['’]/g, '');
  for (const w of lower.match(/[a-z][a-z0-9-]*[a-z0-9]/g) ?? []) if (w.length >= 3 && !EN_STOP.has(w)) out.add(w);
  // Stop words and function characters split a run of Han characters, so no bigram straddles them.
  const han = (lower.match(/\p{Script=Han}+/gu) ?? []).join(' ').replace(ZH_STOP_RE, ' ');
  for (const piece of han.split(ZH_SPLIT)) {
    const chars = [...piece];
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  }
  return out;
}

export function topThemes(answers: string[], limit = 5): { term: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const a of answers) for (const t of terms(a)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts]
    .map(([term, count]) => ({ term, count }))
    .sort((x, y) => y.count - x.count || (x.term < y.term ? -1 : 1))
    .slice(0, limit);
}
