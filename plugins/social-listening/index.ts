import { definePlugin, type Field } from '../../core/plugin-api.js';
import { manifest } from './manifest.js';
import { listenCommand } from './commands/listen.js';
import { mentionsCommand } from './commands/mentions.js';
import { pollAll } from './feeds/poll.js';
import { Listening } from './listening.js';
import { splitText } from './report/summary.js';
import { changeList, collections, type Config, type Mention } from './store.js';

const DAY = 86_400_000;

/** Social listening: queries matched against every chat message and polled feed, sentiment, alerts, reports. */
export default definePlugin(manifest, {
  init(ctx) {
    const listening = new Listening(ctx);
    ctx.commands.register(listenCommand(ctx, listening));
    ctx.commands.register(mentionsCommand(ctx));
    ctx.events.on('message.received', (p) => listening.onMessage(p));
    // The demo's listening queries, created before its messages are published, as /listen add would.
    ctx.events.on('demo.loaded', async (p) => {
      const { queries } = collections(ctx, p.tenant);
      for (const q of p.queries) await queries.insertIfAbsent({ id: q.name, name: q.name, query: q.query, createdBy: p.by, createdAt: p.at });
      await listening.queriesChanged(p.tenant);
    });
    ctx.scheduler.add({ name: 'poll-sources', cron: ctx.config.pollCron, timezone: 'UTC', run: () => pollAll(ctx, listening) });

    ctx.customerCard.add(async (tenant, customerId): Promise<Field[]> => {
      const since = Date.parse(ctx.now()) - 30 * DAY;
      const recent = (await collections(ctx, tenant).mentions.find({ customerId }, { limit: 100_000 })).filter((m) => Date.parse(m.occurredAt) >= since);
      const split = { negative: 0, neutral: 0, positive: 0 };
      for (const m of recent) split[m.label]++;
      return [{ label: 'Mentions (30 days)', value: recent.length ? `${recent.length}: ${splitText(split)}` : 'none' }];
    });

    /** A person's mentions: those linked to the customer and those written by any of their identities. */
    const personal = async (tenant: string, customerId: number) => {
      const c = collections(ctx, tenant);
      const identities = (await ctx.tenant(tenant).identities.listForCustomer(customerId)).map((i) => i.identity);
      const byId = new Map<string, Mention>();
      for (const m of await c.mentions.find({ customerId }, { limit: 1_000_000 })) byId.set(m.id, m);
      for (const who of identities) for (const m of await c.mentions.find({ author: who }, { limit: 1_000_000 })) byId.set(m.id, m);
      const authorDays = (await Promise.all(identities.map((who) => c.authors.find({ identity: who }, { limit: 100_000 })))).flat();
      return { mentions: [...byId.values()], authorDays, identities };
    };
    ctx.privacy.onExport(async (tenant, customerId) => {
      const { mentions, authorDays } = await personal(tenant, customerId);
      // Who replied to them, and to whom they replied, are other people: the export gives counts.
      return { mentions, activity: authorDays.map(({ repliedBy, repliedTo, ...day }) => ({ ...day, repliedBy: repliedBy?.length ?? 0, repliedTo: repliedTo?.length ?? 0 })) };
    });
    ctx.privacy.onErase(async (tenant, customerId) => {
      const c = collections(ctx, tenant);
      const { mentions, identities } = await personal(tenant, customerId);
      for (const m of mentions) await c.mentions.delete(m.id);
      for (const who of identities) {
        // Their replies stop counting toward the reach of the members they answered.
        for (const day of await c.authors.find({ identity: who }, { limit: 100_000 })) {
          for (const parent of day.repliedTo ?? []) {
            await changeList(c.authors, `${parent}|${day.day}`, 'repliedBy', (list) => (list.includes(who) ? list.filter((x) => x !== who) : null));
          }
        }
        await c.authors.deleteWhere({ identity: who });
        await c.said.deleteWhere({ author: who });
      }
    });
  },
});

/** What the benchmarks (bench/suites/social-listening.ts, sentiment.ts) measure, beside the plugin itself. */
export { Matcher } from './match/matcher.js';
export { prng } from './match/prng.js';
export { parseQuery } from './query/parse.js';
export { sentiment, THRESHOLD } from './sentiment/score.js';
export { sentiment as baselineSentiment } from './sentiment/baseline.js';
export { CLASSES, evaluate, LANGS, loadSplit, reportLines, SPLITS, type Post, type Report } from './sentiment/evaluate.js';
