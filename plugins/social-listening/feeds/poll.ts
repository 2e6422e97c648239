import type { Listening } from '../listening.js';
import { collections, type Config, type Source } from '../store.js';
import { fetchSource } from './fetch.js';
import { parsePath, pick, selectTexts } from './json-path.js';
import { contentKey, parseFeed, type FeedEntry } from './parse.js';
import type { Ctx } from '../manifest.js';

/** Entries of a fetched body, or why there are none. */
export function entriesOf(source: Pick<Source, 'kind' | 'field'>, body: string): { ok: true; entries: FeedEntry[] } | { ok: false; reason: string } {
  if (source.kind === 'rss') return parseFeed(body);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the response is not JSON' };
  }
  const steps = parsePath(source.field ?? '');
  if (!steps) return { ok: false, reason: `the field path "${source.field}" is not valid` };
  return {
    ok: true,
    entries: selectTexts(doc, steps).map(({ text, item }) => {
      const link = pick(item, 'url', 'link', 'permalink');
      const date = pick(item, 'created_at', 'createdAt', 'published', 'date', 'updated', 'timestamp');
      const t = date ? Date.parse(/^\d+$/.test(date) ? new Date(Number(date) * (date.length <= 10 ? 1000 : 1)).toISOString() : date) : NaN;
      return {
        key: pick(item, 'id', 'guid', 'uuid') ?? link ?? contentKey(text),
        title: '',
        link: link && /^https?:\/\//i.test(link) ? link : null,
        text,
        author: pick(item, 'author', 'user', 'username'),
        publishedAt: Number.isNaN(t) ? null : new Date(t).toISOString(),
      };
    }),
  };
}

/** What a source reads, whatever its id: seen entries are keyed by it, so re-adding a source does not re-read old items. */
export function feedKey(source: Pick<Source, 'kind' | 'url' | 'field'>): string {
  return contentKey(source.kind, source.url, source.field ?? '');
}

/**
 * Polls one source: new entries go through the listening pipeline and are marked seen only after they
 * were matched; one bad entry never stops the rest. A source removed meanwhile stays removed.
 */
export async function pollSource(ctx: Ctx, listening: Listening, tenant: string, source: Source, fetchImpl?: typeof fetch): Promise<{ fetched: number; fresh: number; error: string | null }> {
  const c = collections(ctx, tenant);
  const now = ctx.now();
  const out = await fetchSource(source.url, source, { timeoutMs: ctx.config.fetchTimeoutMs, maxBytes: ctx.config.maxFeedBytes }, fetchImpl);
  const save = (patch: Partial<Source>) => c.sources.updateIfPresent(source.id, { lastPolledAt: now, ...patch });
  if (out.kind === 'not-modified') {
    await save({ lastError: null });
    return { fetched: 0, fresh: 0, error: null };
  }
  const parsed = out.kind === 'ok' ? entriesOf(source, out.body) : { ok: false as const, reason: out.reason };
  if (!parsed.ok) {
    ctx.log.warn({ tenant, source: source.id, url: source.url, reason: parsed.reason }, 'source skipped');
    await save({ lastError: parsed.reason });
    return { fetched: 0, fresh: 0, error: parsed.reason };
  }
  if (!(await c.sources.get(source.id))) return { fetched: parsed.entries.length, fresh: 0, error: null };
  const feed = feedKey(source);
  let fresh = 0;
  for (const e of parsed.entries) {
    try {
      const key = contentKey(e.key);
      const id = `${feed}|${key}`;
      // Items seen before entries were keyed by feed were keyed by source id; they stay seen.
      if ((await c.entries.get(id)) || (await c.entries.get(`${source.id}|${key}`))) continue;
      await listening.hear(tenant, {
        origin: `f${feed.slice(0, 8)}-${key.slice(0, 10)}`, interactionId: null, author: null,
        authorName: e.author ?? new URL(source.url).host, customerId: null, channel: `${source.kind}:${source.id}`,
        platform: source.kind, permalink: e.link, text: [e.title, e.text].filter(Boolean).join(' — '), occurredAt: e.publishedAt ?? now,
      });
      // Seen only once heard: a crash in between re-hears it, and mentions are idempotent by origin.
      if (await c.entries.insertIfAbsent({ id, sourceId: feed, at: now })) fresh++;
    } catch (err) {
      ctx.log.warn({ tenant, source: source.id, entry: e.key, err: String(err) }, 'feed entry skipped');
    }
  }
  await save({ lastError: null, ...(out.kind === 'ok' ? out.validators : {}) });
  return { fetched: parsed.entries.length, fresh, error: null };
}

/** The scheduled job: every source of every configured tenant, each failure contained. */
export async function pollAll(ctx: Ctx, listening: Listening): Promise<void> {
  for (const tenant of ctx.tenants()) {
    for (const s of await collections(ctx, tenant).sources.find({}, { limit: 1000 })) {
      try {
        await pollSource(ctx, listening, tenant, s);
      } catch (err) {
        ctx.log.warn({ tenant, source: s.id, err: String(err) }, 'source poll failed');
      }
    }
  }
}
