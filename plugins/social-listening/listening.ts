import { mentionText, type CoreEvents } from '../../core/plugin-api.js';
import { checkNegative, checkSpike } from './alerts/alerts.js';
import { hourOf } from './alerts/spike.js';
import { Matcher } from './match/matcher.js';
import { parseQuery } from './query/parse.js';
import { sentiment } from './sentiment/score.js';
import { changeList, collections, QUERY_VERSION, type Config, type Mention, type Speaker } from './store.js';
import { excerpt } from './text/excerpt.js';
import type { Ctx } from './manifest.js';

/** A text to listen to: a chat message or a polled feed entry. */
export interface Heard extends Speaker {
  /** Unique per origin: `m<interaction id>` for chat, `f<source>-<entry key hash>` for feeds. */
  origin: string;
  /** Core interaction id of a chat message (for the mention interaction's sourceEventId). */
  interactionId: number | null;
  text: string;
}

/**
 * The listening pipeline of every tenant: a cached matcher per tenant, rebuilt whenever the store's query
 * version moved (any process may add or remove a query), and one serial queue per tenant so counters and
 * spike checks see each mention in order.
 */
export class Listening {
  private readonly matchers = new Map<string, { version: number; matcher: Promise<Matcher> }>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly ctx: Ctx) {}

  /** The tenant's current queries compiled: one cheap read of the version before every match. */
  async matcher(tenant: string): Promise<Matcher> {
    const c = collections(this.ctx, tenant);
    // Read the version before the queries: a change landing in between only costs one extra rebuild later.
    const version = (await c.meta.get(QUERY_VERSION))?.version ?? 0;
    const cached = this.matchers.get(tenant);
    if (cached && cached.version === version) return cached.matcher;
    const matcher = c.queries.find({}, { limit: 100_000 }).then((qs) => new Matcher(qs.map((q) => ({ name: q.name, query: parseQuery(q.query) }))));
    matcher.catch(() => this.matchers.delete(tenant));
    this.matchers.set(tenant, { version, matcher });
    return matcher;
  }

  /** Call after saving or deleting a query: every process sees the new version before its next match. */
  async queriesChanged(tenant: string): Promise<void> {
    await collections(this.ctx, tenant).meta.increment(QUERY_VERSION, 'version', 1);
  }

  /** Runs `fn` after everything already queued for the tenant. */
  serial<T>(tenant: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(tenant) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.queues.set(tenant, tail);
    void tail.then(() => {
      if (this.queues.get(tenant) === tail) this.queues.delete(tenant);
    });
    return next;
  }

  async onMessage(p: CoreEvents['message.received']): Promise<void> {
    const i = p.interaction;
    await this.credit(p.tenant, p.actor.identity, i.messageId ?? null, p.inReplyTo ?? null, i.occurredAt);
    await this.hear(p.tenant, {
      origin: `m${i.id}`, interactionId: i.id, author: p.actor.identity, authorName: p.actor.displayName, customerId: i.customerId,
      channel: p.channel, platform: p.platform, permalink: p.permalink, text: i.text, occurredAt: i.occurredAt,
    });
  }

  /** Remembers who wrote a message, and credits the author of the message it replies to (their reach). */
  private async credit(tenant: string, author: string, messageId: string | null, inReplyTo: string | null, at: string): Promise<void> {
    const { said, authors } = collections(this.ctx, tenant);
    const day = at.slice(0, 10);
    if (messageId) await said.put({ id: messageId, author, day });
    const parent = inReplyTo ? await said.get(inReplyTo) : null;
    if (!parent || parent.author === author) return;
    const id = `${parent.author}|${day}`;
    await authors.insertIfAbsent({ id, identity: parent.author, name: parent.author, day, messages: 0, mentions: 0 });
    await changeList(authors, id, 'repliedBy', (list) => (list.includes(author) ? null : [...list, author]));
    const own = `${author}|${day}`;
    await authors.insertIfAbsent({ id: own, identity: author, name: author, day, messages: 0, mentions: 0 });
    await changeList(authors, own, 'repliedTo', (list) => (list.includes(parent.author) ? null : [...list, parent.author]));
  }

  /** Matches one text against the tenant's queries and records what it finds; returns the new mentions. */
  hear(tenant: string, h: Heard): Promise<Mention[]> {
    return this.serial(tenant, async () => {
      const found = (await this.matcher(tenant)).match(h.text);
      if (h.author) await this.countAuthor(tenant, h, found.length > 0);
      if (!found.length) return [];
      const mood = sentiment(h.text);
      const c = collections(this.ctx, tenant);
      const created: Mention[] = [];
      for (const f of found) {
        const m: Mention = {
          id: `${h.origin}.${f.name}`, query: f.name, author: h.author, authorName: h.authorName, customerId: h.customerId,
          channel: h.channel, platform: h.platform, permalink: h.permalink, excerpt: excerpt(h.text, f.spans[0]?.[0] ?? 0),
          score: mood.score, label: mood.label, drivers: mood.drivers, occurredAt: h.occurredAt, day: h.occurredAt.slice(0, 10), hour: hourOf(h.occurredAt), tag: null,
        };
        if (!(await c.mentions.insertIfAbsent(m))) continue;
        created.push(m);
        await this.ctx.tenant(tenant).interactions.add({
          customerId: h.customerId, identity: h.author, type: 'mention', channel: h.channel, direction: 'in',
          text: mentionText(m.label, m.excerpt), amountMinor: null, currency: null, occurredAt: h.occurredAt,
          sourceEventId: `mention:${h.interactionId ?? h.origin}:${f.name}`,
        });
        await checkSpike(this.ctx, tenant, m);
        await checkNegative(this.ctx, tenant, m);
      }
      return created;
    });
  }

  /** Counts atomically, so processes hearing the same author at once lose nothing. */
  private async countAuthor(tenant: string, h: Heard, matched: boolean): Promise<void> {
    const { authors, counted } = collections(this.ctx, tenant);
    const day = h.occurredAt.slice(0, 10);
    if (!(await counted.insertIfAbsent({ id: h.origin, day }))) return;
    const id = `${h.author}|${day}`;
    await authors.insertIfAbsent({ id, identity: h.author!, name: h.authorName, day, messages: 0, mentions: 0 });
    await authors.updateIfPresent(id, { name: h.authorName });
    await authors.increment(id, 'messages', 1);
    if (matched) await authors.increment(id, 'mentions', 1);
  }
}
