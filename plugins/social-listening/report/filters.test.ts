import { describe, expect, it } from 'vitest';
import type { Mention } from '../store.js';
import { filtersText, filterWords, matchesFilters, pageOf, parseMentionArgs } from './filters.js';

describe('parseMentionArgs', () => {
  it.each([
    [[], { period: 'week', filters: {}, page: 1 }],
    [['today', 'brand'], { period: 'today', filters: { query: 'brand' }, page: 1 }],
    [['month', 'NEGATIVE', 'platform:rss', 'page', '3'], { period: 'month', filters: { label: 'negative', platform: 'rss' }, page: 3 }],
    [['sentiment:positive', 'query:brand', 'channel:rss:S-1', 'tag:none', 'page:2'], { period: 'week', filters: { label: 'positive', query: 'brand', channel: 'rss:S-1', tag: 'none' }, page: 2 }],
    [['channel:C0123ABC', 'tag:Bug'], { period: 'week', filters: { channel: 'C0123ABC', tag: 'bug' }, page: 1 }],
  ])('%j', (words, args) => {
    expect(parseMentionArgs(words)).toEqual({ ok: true, args });
  });

  it.each([
    [['page', '0'], '"page 0" is not a page number; say page 2'],
    [['page'], '"page " is not a page number; say page 2'],
    [['tag:urgent'], '"tag:urgent" is not a filter; use sentiment:<negative|neutral|positive>, query:<name>, channel:<id>, platform:<name> or tag:<bug|complaint|lead|praise|ignore|none>'],
    [['yesterday?'], '"yesterday?" is neither today, week, month, a sentiment, a filter nor a query name'],
    [['{"$gt":1}'], expect.stringMatching(/^"\{"\$gt":1\}" is not a filter/)],
    [['negative', 'positive'], '"positive": label is given twice'],
  ])('refuses %j', (words, issue) => {
    expect(parseMentionArgs(words)).toEqual({ ok: false, issues: [issue] });
  });
});

const m = (id: string, over: Partial<Mention> = {}): Mention => ({
  id, query: 'brand', author: 'web:a', authorName: 'A', customerId: null, channel: 'web', platform: 'web', permalink: null,
  excerpt: '', score: 0, label: 'neutral', occurredAt: '2026-03-01T10:00:00Z', day: '2026-03-01', hour: '2026-03-01T10', tag: null, ...over,
});

describe('filters and pages', () => {
  it('filters by each field, untagged included, and says what it filtered', () => {
    const f = { label: 'negative' as const, platform: 'rss', tag: 'none' };
    expect(matchesFilters(m('a', { label: 'negative', platform: 'rss' }), f)).toBe(true);
    expect(matchesFilters(m('b', { label: 'negative', platform: 'rss', tag: 'bug' }), f)).toBe(false);
    expect(matchesFilters(m('c', { label: 'positive', platform: 'rss' }), f)).toBe(false);
    expect(matchesFilters(m('d', { channel: 'x' }), { channel: 'y' })).toBe(false);
    expect(filtersText(f)).toBe('negative, platform rss, untagged');
    expect(filterWords(f)).toEqual(['negative', 'platform:rss', 'tag:none']);
    expect(parseMentionArgs(filterWords(f))).toEqual({ ok: true, args: { period: 'week', filters: f, page: 1 } });
  });

  it('pages newest first without overlap, ties by id', () => {
    const items = Array.from({ length: 23 }, (_, i) => m(`m${String(i).padStart(2, '0')}`, { occurredAt: `2026-03-01T10:${String(Math.floor(i / 2)).padStart(2, '0')}:00Z` }));
    const pages = [1, 2, 3].map((p) => pageOf(items, p, 10));
    expect(pages.map((p) => p.items.length)).toEqual([10, 10, 3]);
    expect(pages[0]!.pages).toBe(3);
    expect(pages[0]!.items.slice(0, 3).map((x) => x.id)).toEqual(['m22', 'm20', 'm21']);
    expect(new Set(pages.flatMap((p) => p.items.map((x) => x.id))).size).toBe(23);
    expect(pageOf([], 1, 10)).toEqual({ items: [], pages: 1 });
  });
});
