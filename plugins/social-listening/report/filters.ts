import type { Sentiment } from '../../../core/plugin-api.js';
import { TRIAGE_TAGS, type Mention } from '../store.js';

/** What `/mentions` and `/mentions list` accept after the command: a period, filters and a page. */

export const PERIODS = {
  today: { ms: 24 * 3_600_000, name: '24 hours' },
  week: { ms: 7 * 24 * 3_600_000, name: '7 days' },
  month: { ms: 30 * 24 * 3_600_000, name: '30 days' },
} as const;
export type Period = keyof typeof PERIODS;

export interface MentionFilters {
  label?: Sentiment;
  query?: string;
  channel?: string;
  platform?: string;
  /** A triage tag, or `none` for untagged mentions. */
  tag?: string;
}

export interface MentionArgs {
  period: Period;
  filters: MentionFilters;
  page: number;
}

export const FILTER_USAGE = '[today|week|month] [negative|neutral|positive] [query:<name>] [channel:<id>] [platform:<name>] [tag:<tag>|tag:none] [page <n>]';
const LABELS = ['negative', 'neutral', 'positive'] as const;
const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const VALUE = /^[\w#:.@/-]{1,100}$/;

/** Parses the words; returns what is wrong with each bad word instead of guessing. */
export function parseMentionArgs(words: readonly string[]): { ok: true; args: MentionArgs } | { ok: false; issues: string[] } {
  const args: MentionArgs = { period: 'week', filters: {}, page: 1 };
  const issues: string[] = [];
  const set = <K extends keyof MentionFilters>(key: K, value: MentionFilters[K], word: string) => {
    if (args.filters[key] !== undefined) issues.push(`"${word}": ${key} is given twice`);
    else args.filters[key] = value;
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const w = word.toLowerCase();
    const colon = w.indexOf(':');
    const [key, raw] = colon > 0 ? [w.slice(0, colon), word.slice(colon + 1)] : [w, ''];
    if (w in PERIODS) args.period = w as Period;
    else if ((LABELS as readonly string[]).includes(w)) set('label', w as Sentiment, word);
    else if (w === 'page' || key === 'page') {
      const n = key === 'page' && colon > 0 ? raw : words[++i] ?? '';
      if (/^[1-9]\d{0,4}$/.test(n)) args.page = Number(n);
      else issues.push(`"page ${n}" is not a page number; say page 2`);
    } else if (colon > 0) {
      const value = raw.toLowerCase();
      if (key === 'sentiment' && (LABELS as readonly string[]).includes(value)) set('label', value as Sentiment, word);
      else if (key === 'query' && NAME.test(value)) set('query', value, word);
      else if (key === 'channel' && VALUE.test(raw)) set('channel', raw, word);
      else if (key === 'platform' && NAME.test(value)) set('platform', value, word);
      else if (key === 'tag' && (value === 'none' || (TRIAGE_TAGS as readonly string[]).includes(value))) set('tag', value, word);
      else issues.push(`"${word}" is not a filter; use sentiment:<negative|neutral|positive>, query:<name>, channel:<id>, platform:<name> or tag:<${TRIAGE_TAGS.join('|')}|none>`);
    } else if (NAME.test(w)) set('query', w, word);
    else issues.push(`"${word}" is neither today, week, month, a sentiment, a filter nor a query name`);
  }
  return issues.length ? { ok: false, issues } : { ok: true, args };
}

export function matchesFilters(m: Mention, f: MentionFilters): boolean {
  return (f.label === undefined || m.label === f.label)
    && (f.query === undefined || m.query === f.query)
    && (f.channel === undefined || m.channel === f.channel)
    && (f.platform === undefined || m.platform === f.platform)
    && (f.tag === undefined || (f.tag === 'none' ? m.tag === null : m.tag === f.tag));
}

/** `negative, query brand, tag none` for a reply; empty when nothing is filtered. */
export function filtersText(f: MentionFilters): string {
  const parts: string[] = [];
  if (f.label) parts.push(f.label);
  if (f.query) parts.push(`query ${f.query}`);
  if (f.channel) parts.push(`channel ${f.channel}`);
  if (f.platform) parts.push(`platform ${f.platform}`);
  if (f.tag) parts.push(f.tag === 'none' ? 'untagged' : `tagged ${f.tag}`);
  return parts.join(', ');
}

/** The same filters as command words (for the next/previous page buttons). */
export function filterWords(f: MentionFilters): string[] {
  const out: string[] = [];
  if (f.label) out.push(f.label);
  if (f.query) out.push(`query:${f.query}`);
  if (f.channel) out.push(`channel:${f.channel}`);
  if (f.platform) out.push(`platform:${f.platform}`);
  if (f.tag) out.push(`tag:${f.tag}`);
  return out;
}

/** One page (1-based) of mentions, newest first; ties by id so pages never overlap. */
export function pageOf<T extends Pick<Mention, 'occurredAt' | 'id'>>(items: readonly T[], page: number, size: number): { items: T[]; pages: number } {
  const sorted = [...items].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || a.id.localeCompare(b.id));
  return { items: sorted.slice((page - 1) * size, page * size), pages: Math.max(1, Math.ceil(sorted.length / size)) };
}
