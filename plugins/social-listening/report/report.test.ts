import { describe, expect, it } from 'vitest';
import type { Mention } from '../store.js';
import { explainInfluence, influence } from './influence.js';
import { splitText, summarize, trendText } from './summary.js';

const m = (over: Partial<Mention>): Mention => ({
  id: 'x', query: 'brand', author: 'web:a', authorName: 'A', customerId: null, channel: 'web:general', platform: 'web',
  permalink: null, excerpt: '', score: 0, label: 'neutral', occurredAt: '2026-03-01T10:00:00Z', day: '2026-03-01', hour: '2026-03-01T10', tag: null, ...over,
});

describe('summarize', () => {
  it('counts volume, split, top authors and channels, and the trend', () => {
    const cur = [
      m({ label: 'negative', score: -0.8 }),
      m({ label: 'negative', score: -0.6, author: 'web:b', authorName: 'B' }),
      m({ label: 'positive', score: 0.5, channel: 'rss:s1', platform: 'rss', author: null, authorName: 'Blog' }),
      m({ label: 'neutral', score: 0, query: 'refunds' }),
    ];
    const s = summarize(cur, [m({}), m({})]);
    expect(s.volume).toBe(4);
    expect(s.changePct).toBe(100);
    expect(s.split).toEqual({ negative: 2, neutral: 1, positive: 1 });
    expect(s.averageScore).toBe(-0.22);
    expect(s.topAuthors[0]).toEqual({ name: 'A', author: 'web:a', count: 2 });
    expect(s.topChannels.map((c) => [c.channel, c.count])).toEqual([['web:general', 3], ['rss:s1', 1]]);
    expect(s.byQuery).toEqual([{ query: 'brand', count: 3 }, { query: 'refunds', count: 1 }]);
    expect(splitText(s.split)).toBe('2 negative (50%), 1 neutral (25%), 1 positive (25%)');
    expect(trendText(s, '7 days')).toBe('+100% vs the previous 7 days (2)');
  });

  it('handles empty periods', () => {
    const s = summarize([], []);
    expect(s.averageScore).toBeNull();
    expect(trendText(s, 'day')).toBe('none in the previous day either');
    expect(trendText(summarize([m({})], []), 'day')).toBe('new: none in the previous day');
    expect(trendText(summarize([], [m({})]), 'day')).toBe('-100% vs the previous day (1)');
  });
});

describe('influence', () => {
  it.each([
    [{ reach: 0, messages: 0, mentions: 0, monetaryMinor: 0 }, { score: 0, reach: 0, activity: 0, value: 0 }],
    [{ reach: 0, messages: 9, mentions: 0, monetaryMinor: 0 }, { score: 10, reach: 0, activity: 10, value: 0 }],
    [{ reach: 0, messages: 99, mentions: 9, monetaryMinor: 99_000 }, { score: 50, reach: 0, activity: 30, value: 20 }],
    [{ reach: 9, messages: 0, mentions: 0, monetaryMinor: 0 }, { score: 20, reach: 20, activity: 0, value: 0 }],
    [{ reach: 999, messages: 9999, mentions: 999, monetaryMinor: 0 }, { score: 80, reach: 40, activity: 40, value: 0 }],
    // The silent big spender: spend alone tops out at 20.
    [{ reach: 0, messages: 0, mentions: 0, monetaryMinor: 10_000_000 }, { score: 20, reach: 0, activity: 0, value: 20 }],
    // A real voice: 60 messages, 8 on topic, 13 people answering reaches the default threshold of 50.
    [{ reach: 13, messages: 60, mentions: 8, monetaryMinor: 0 }, { score: 50, reach: 23, activity: 27, value: 0 }],
  ])('%j', (facts, expected) => {
    expect(influence(facts)).toEqual(expected);
  });

  it('explains itself', () => {
    expect(explainInfluence({ reach: 1, messages: 9, mentions: 1, monetaryMinor: 99_000 }, 'EUR'))
      .toBe('39/100 = reach 6 (1 member replied to them) + activity 13 (9 messages, 1 mentions) + value 20 (€990.00 spent)');
  });
});
