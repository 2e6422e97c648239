import { mentionText, type CoreEvents, type PluginContext } from '../../core/index.js';
import { checkNegative, checkSpike } from './alerts/alerts.js';
import { hourOf } from './alerts/spike.js';
import { Matcher } from './match/matcher.js';
import { parseQuery } from './query/parse.js';
import { sentiment } from './sentiment/score.js';
import { collections, type Config, type Mention, type Speaker } from './store.js';
import { excerpt } from './text/excerpt.js';

/** A text to listen to: a chat message or a polled feed entry. */
export interface Heard extends Speaker {
  /** Unique per origin: `m<interaction id>` for chat, `f<source>-<entry key hash>` for feeds. */
  origin: string;
  /** Core interaction id of a chat message (for the mention interaction's sourceEventId). */
  interactionId: number | null;
  text: string;
}

/**
 * The listening pipeline of every tenant: a cached matcher per tenant (rebuilt when queries change),
 * and one serial queue per tenant so counters and spike checks see each mention in order.
 */
export class Listening {
  private readonly matchers = new Map<string, Promise<Matcher>>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly ctx: PluginContext<Config>) {}

  matcher(tenant: string): Promise<Matcher> {
    let m = this.matchers.get(tenant);
    if (!m) {
      m = collections(this.ctx, tenant).queries.find({}, { limit: 100_000 }).then((qs) => new Matcher(qs.map((q) => ({ name: q.name, query: parseQuery(q.query) }))));
      m.catch(() => this.matchers.delete(tenant));
      this.matchers.set(tenant, m);
    }
    return m;
  }

  invalidate(tenant: string): void {
    this.matchers.delete(tenant);
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
    await this.hear(p.tenant, {
      origin: `m${i.id}`, interactionId: i.id, author: p.actor.identity, authorName: p.actor.displayName, customerId: i.customerId,
      channel: p.channel, platform: p.platform, permalink: p.permalink, text: i.text, occurredAt: i.occurredAt,
    });
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

  private async countAuthor(tenant: string, h: Heard, matched: boolean): Promise<void> {
    const { authors } = collections(this.ctx, tenant);
    const day = h.occurredAt.slice(0, 10);
    const id = `${h.author}|${day}`;
    const row = (await authors.get(id)) ?? { id, identity: h.author!, name: h.authorName, day, messages: 0, mentions: 0 };
    await authors.put({ ...row, name: h.authorName, messages: row.messages + 1, mentions: row.mentions + (matched ? 1 : 0) });
  }
}
