import { changeDoc, docsOf, openCollections, type DocCollection, type Platform, type Sentiment } from '../../core/plugin-api.js';
import type { Ctx } from './manifest.js';
import type { Driver } from './sentiment/score.js';

/** The plugin's documents, per tenant. Days and hours are UTC keys so equality filters can select them. */

export type { Config } from './manifest.js';

export interface SavedQuery {
  id: string;
  name: string;
  query: string;
  createdBy: string;
  createdAt: string;
  /** The inbound event whose `/listen add` saved it: that event's replay after a crash finds it is its own. */
  sourceEventId?: string;
}

export const TRIAGE_TAGS = ['bug', 'complaint', 'lead', 'praise', 'ignore'] as const;
export type TriageTag = (typeof TRIAGE_TAGS)[number];

/** Who said something, where and when: shared by what is heard and the mentions recorded from it. */
export interface Speaker {
  /** Chat identity of the author; null for feed entries. */
  author: string | null;
  authorName: string;
  customerId: number | null;
  channel: string;
  /** A chat platform, or `rss` / `json` for polled sources. */
  platform: string;
  permalink: string | null;
  occurredAt: string;
}

export interface Mention extends Speaker {
  id: string;
  query: string;
  excerpt: string;
  score: number;
  label: Sentiment;
  /** The words behind the label, for `/mentions why`; absent on mentions recorded before it existed. */
  drivers?: Driver[];
  day: string;
  hour: string;
  tag: TriageTag | null;
}

/** A spike: the mentions of a query from `from` to `to` (their own times), alerted once; triage tags them all. */
export interface Burst {
  id: string;
  query: string;
  from: string;
  to: string;
}

export interface HourlyCount {
  id: string;
  query: string;
  hour: string;
  count: number;
}

/** Per author and day: messages seen, how many matched a query, and who replied to them (influence). */
export interface AuthorDay {
  id: string;
  identity: string;
  name: string;
  day: string;
  messages: number;
  mentions: number;
  /** Other members who replied to this author's messages that day (thread replies, quoted replies). */
  repliedBy?: string[];
  /** Whom this author replied to that day: erasing the author removes them from those members' `repliedBy`. */
  repliedTo?: string[];
}

/** Who wrote a chat message, by the platform's message id, so a later reply can credit them. */
export interface Said {
  id: string;
  author: string;
  day: string;
}

export interface Source {
  id: string;
  kind: 'rss' | 'json';
  url: string;
  /** For json sources: the jsonpath-ish selector of the text. */
  field: string | null;
  etag: string | null;
  lastModified: string | null;
  addedBy: string;
  addedAt: string;
  lastPolledAt: string | null;
  lastError: string | null;
}

export interface SeenEntry {
  id: string;
  sourceId: string;
  at: string;
}

/** Store-wide counters of the plugin (the query version every process checks before matching). */
export interface Meta {
  id: string;
  version?: number;
}

export const QUERY_VERSION = 'query-version';

const COLLECTIONS = {
  queries: docsOf<SavedQuery>(),
  mentions: docsOf<Mention>(),
  hourly: docsOf<HourlyCount>(),
  authors: docsOf<AuthorDay>(),
  sources: docsOf<Source>(),
  entries: docsOf<SeenEntry>(),
  meta: docsOf<Meta>(),
  bursts: docsOf<Burst>(),
  said: docsOf<Said>(),
  /** Origins already counted for their author: a redelivered message counts once. */
  counted: docsOf<{ id: string; day: string }>(),
};

export function collections(ctx: Pick<Ctx, 'docs' | 'ledger'>, tenant: string) {
  return openCollections(ctx, tenant, COLLECTIONS);
}

/**
 * Changes an author-day's list (null: leave it): read, then write only at the version read, and read again
 * when another process wrote in between, so concurrent replies and erasures are all kept.
 */
export async function changeList(
  authors: DocCollection<AuthorDay>, id: string, field: 'repliedBy' | 'repliedTo', change: (list: string[]) => string[] | null,
): Promise<void> {
  await changeDoc(authors, id, (doc) => {
    const next = change(doc[field] ?? []);
    return next && { [field]: next };
  });
}

const DAY = 86_400_000;

/** UTC day keys covering [from, to). */
export function daysBetween(fromMs: number, toMs: number): string[] {
  const out: string[] = [];
  for (let t = Math.floor(fromMs / DAY) * DAY; t < toMs; t += DAY) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Mentions that occurred in [from, to), optionally of one query. */
export async function mentionsBetween(mentions: DocCollection<Mention>, fromMs: number, toMs: number, query?: string): Promise<Mention[]> {
  const out: Mention[] = [];
  for (const day of daysBetween(fromMs, toMs)) {
    const rows = await mentions.find(query ? { day, query } : { day }, { limit: 100_000 });
    for (const m of rows) {
      const t = Date.parse(m.occurredAt);
      if (t >= fromMs && t < toMs) out.push(m);
    }
  }
  return out;
}
