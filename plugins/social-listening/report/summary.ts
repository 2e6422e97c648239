import type { Sentiment } from '../../../core/plugin-api.js';
import type { Mention } from '../store.js';

/** What `/mentions` shows for a period: volume, sentiment split, who and where, and the trend. */
export interface MentionSummary {
  volume: number;
  previous: number;
  /** Percent change versus the previous period; null when the previous period had none. */
  changePct: number | null;
  split: Record<Sentiment, number>;
  averageScore: number | null;
  topAuthors: { name: string; author: string | null; count: number }[];
  topChannels: { channel: string; platform: string; count: number }[];
  byQuery: { query: string; count: number }[];
}

function top<K>(items: Iterable<[K, number]>, n: number): [K, number][] {
  return [...items].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).slice(0, n);
}

export function summarize(current: readonly Mention[], previous: readonly Mention[], topN = 5): MentionSummary {
  const split: Record<Sentiment, number> = { negative: 0, neutral: 0, positive: 0 };
  const authors = new Map<string, { name: string; author: string | null; count: number }>();
  const channels = new Map<string, { platform: string; count: number }>();
  const queries = new Map<string, number>();
  let total = 0;
  for (const m of current) {
    split[m.label]++;
    total += m.score;
    const key = m.author ?? `name:${m.authorName}`;
    const a = authors.get(key) ?? { name: m.authorName, author: m.author, count: 0 };
    a.count++;
    authors.set(key, a);
    const c = channels.get(m.channel) ?? { platform: m.platform, count: 0 };
    c.count++;
    channels.set(m.channel, c);
    queries.set(m.query, (queries.get(m.query) ?? 0) + 1);
  }
  return {
    volume: current.length,
    previous: previous.length,
    changePct: previous.length ? Math.round(((current.length - previous.length) / previous.length) * 100) : null,
    split,
    averageScore: current.length ? Math.round((total / current.length) * 100) / 100 : null,
    topAuthors: top([...authors.values()].map((a) => [a, a.count] as [typeof a, number]), topN).map(([a]) => a),
    topChannels: top([...channels.entries()].map(([ch, v]) => [{ channel: ch, ...v }, v.count] as [{ channel: string; platform: string; count: number }, number]), topN).map(([c]) => c),
    byQuery: top(queries.entries(), 20).map(([query, count]) => ({ query, count })),
  };
}

export function splitText(split: Record<Sentiment, number>): string {
  const n = split.negative + split.neutral + split.positive;
  const pct = (x: number) => (n ? ` (${Math.round((x / n) * 100)}%)` : '');
  return `${split.negative} negative${pct(split.negative)}, ${split.neutral} neutral${pct(split.neutral)}, ${split.positive} positive${pct(split.positive)}`;
}

export function trendText(s: MentionSummary, periodName: string): string {
  if (s.changePct === null) return s.volume ? `new: none in the previous ${periodName}` : `none in the previous ${periodName} either`;
  const sign = s.changePct > 0 ? '+' : '';
  return `${sign}${s.changePct}% vs the previous ${periodName} (${s.previous})`;
}
