import { command, CommandError, NotFoundError, sub, words, type Reply } from '../../../core/plugin-api.js';
import { activity } from '../alerts/alerts.js';
import { driversText } from '../sentiment/explain.js';
import { explainInfluence, influence, type InfluenceFacts } from '../report/influence.js';
import { splitText, summarize, trendText } from '../report/summary.js';
import { filtersText, filterWords, FILTER_USAGE, matchesFilters, pageOf, parseMentionArgs, PERIODS, type Period } from '../report/filters.js';
import { collections, daysBetween, mentionsBetween, TRIAGE_TAGS, type Config, type Mention, type TriageTag } from '../store.js';
import type { Ctx } from '../manifest.js';

const STAFF = ['admin', 'manager', 'rep'] as const;
const PAGE_SIZE = 10;
const MENTION_ID = /^[a-zA-Z0-9._-]{1,120}$/;
const notAnId = (w: string) => `"${w}" is not a mention id (like m12.brand)`;

const mentionArgs = (usage: string) =>
  words(0, 12, '', `Too many words. Usage: ${usage}`).transform((a, ctx) => {
    const r = parseMentionArgs(a.words);
    if (r.ok) return r.args;
    for (const message of r.issues) ctx.addIssue({ code: 'custom', message });
    return { period: 'week' as Period, filters: {}, page: 1 };
  });

/** One mention in a reply: id, label, score, excerpt and tag. */
function line(m: Mention): string {
  return `${m.id} ${m.label} ${m.score}: "${m.excerpt}"${m.tag ? ` [${m.tag}]` : ''}`;
}

export function mentionsCommand(p: Ctx) {
  /** A query filter must name a query that exists or once recorded mentions. */
  const requireKnownQuery = async (tenant: string, query: string | undefined) => {
    const { mentions, queries } = collections(p, tenant);
    if (query && !(await queries.get(query)) && !(await mentions.find({ query }, { limit: 1 })).length) {
      throw new NotFoundError(`No query named "${query}". See them with /listen list.`);
    }
  };
  return command({
    name: 'mentions',
    summary: 'Brand mentions: volume, sentiment, top authors and channels, influencers, triage',
    defaultSubcommand: 'report',
    subcommands: [
      sub({
        name: 'report', usage: FILTER_USAGE, summary: 'Volume, sentiment split, top authors and channels, trend (default: week); filters narrow it', roles: STAFF,
        args: mentionArgs(`/mentions ${FILTER_USAGE}`),
        run: async (ctx, a): Promise<Reply> => {
          const { mentions } = collections(p, ctx.tenant);
          await requireKnownQuery(ctx.tenant, a.filters.query);
          const now = Date.parse(ctx.now());
          const { ms, name } = PERIODS[a.period];
          const [cur, prev] = await Promise.all([
            mentionsBetween(mentions, now - ms, now + 1, a.filters.query).then((xs) => xs.filter((m) => matchesFilters(m, a.filters))),
            mentionsBetween(mentions, now - 2 * ms, now - ms, a.filters.query).then((xs) => xs.filter((m) => matchesFilters(m, a.filters))),
          ]);
          const s = summarize(cur, prev);
          const rest = filtersText({ ...a.filters, query: undefined });
          const scope = `${a.filters.query ? `"${a.filters.query}"` : 'all queries'}${rest ? ` (${rest})` : ''}`;
          if (!s.volume) return { text: `No mentions of ${scope} in the last ${name} (${trendText(s, name)}).` };
          const fields = [
            { label: 'Sentiment', value: `${splitText(s.split)}; average score ${s.averageScore}` },
            { label: 'Top authors', value: s.topAuthors.map((x) => `${x.name}${x.author ? ` (${x.author})` : ''}: ${x.count}`).join(', ') },
            { label: 'Top channels', value: s.topChannels.map((x) => `${x.channel} (${x.platform}): ${x.count}`).join(', ') },
            { label: 'Trend', value: trendText(s, name) },
          ];
          if (!a.filters.query) fields.push({ label: 'By query', value: s.byQuery.map((x) => `${x.query}: ${x.count}`).join(', ') });
          const latest = pageOf(cur, 1, 3).items;
          fields.push({ label: 'Latest', value: latest.map(line).join('\n') });
          const more = s.volume > 3 ? ` All of them: /mentions list ${[a.period, ...filterWords(a.filters)].join(' ')}` : '';
          return { text: `Mentions of ${scope} in the last ${name}: ${s.volume} (${trendText(s, name)}).${more}`, fields };
        },
      }),
      sub({
        name: 'list', usage: FILTER_USAGE, summary: `The mentions themselves, newest first, ${PAGE_SIZE} a page, with the same filters`, roles: STAFF,
        args: mentionArgs(`/mentions list ${FILTER_USAGE}`),
        run: async (ctx, a): Promise<Reply> => {
          await requireKnownQuery(ctx.tenant, a.filters.query);
          const now = Date.parse(ctx.now());
          const { ms, name } = PERIODS[a.period];
          const all = (await mentionsBetween(collections(p, ctx.tenant).mentions, now - ms, now + 1, a.filters.query)).filter((m) => matchesFilters(m, a.filters));
          const what = filtersText(a.filters);
          const scope = `Mentions${what ? ` (${what})` : ''} in the last ${name}`;
          if (!all.length) return { text: `No mentions${what ? ` (${what})` : ''} in the last ${name}.` };
          const { items, pages } = pageOf(all, a.page, PAGE_SIZE);
          if (a.page > pages) throw new CommandError(`${scope} fill ${pages} page${pages === 1 ? '' : 's'}; ask for page 1 to ${pages}.`);
          const again = (page: number) => [a.period, ...filterWords(a.filters), 'page', String(page)].join(' ');
          const buttons = [
            ...(a.page > 1 ? [{ id: 'mentions.list', label: 'Previous page', value: again(a.page - 1) }] : []),
            ...(a.page < pages ? [{ id: 'mentions.list', label: 'Next page', value: again(a.page + 1) }] : []),
          ];
          return {
            text: `${scope}: ${all.length}, page ${a.page} of ${pages}.`,
            fields: items.map((m) => ({ label: m.id, value: `${m.occurredAt.slice(0, 16).replace('T', ' ')} ${m.platform} ${m.channel}, ${m.authorName}: ${m.label} ${m.score} "${m.excerpt}"${m.tag ? ` [${m.tag}]` : ''}` })),
            ...(buttons.length ? { buttons } : {}),
          };
        },
      }),
      sub({
        name: 'influencers', usage: '[today|week|month]', summary: 'Most influential members, score with its parts (reach: members replying to them, activity, customer value)', roles: STAFF,
        args: words(0, 1, '', 'Too many words. Usage: /mentions influencers [today|week|month]').transform((a, ctx) => {
          const w = (a.words[0] ?? 'week').toLowerCase();
          if (!(w in PERIODS)) ctx.addIssue({ code: 'custom', message: `"${a.words[0]}" is not today, week or month` });
          return { period: (w in PERIODS ? w : 'week') as Period };
        }),
        run: async (ctx, a): Promise<Reply> => {
          const { authors } = collections(p, ctx.tenant);
          const now = Date.parse(ctx.now());
          const { ms, name } = PERIODS[a.period];
          const seen = new Map<string, string>();
          for (const day of daysBetween(now - ms, now + 1)) for (const r of await authors.find({ day }, { limit: 100_000 })) seen.set(r.identity, r.name);
          if (!seen.size) return { text: `No messages seen in the last ${name}.` };
          const ts = p.tenant(ctx.tenant);
          const rows: { name: string; identity: string; facts: InfluenceFacts }[] = [];
          for (const [identity, displayName] of seen) {
            const link = await ts.identities.get(identity);
            const rfm = link?.customerId ? await ts.analytics.rfmFor(link.customerId, ctx.now(), ctx.settings) : null;
            rows.push({ name: displayName, identity, facts: { ...(await activity(p, ctx.tenant, identity, now - ms)), monetaryMinor: rfm?.monetaryMinor ?? 0 } });
          }
          rows.sort((x, y) => influence(y.facts).score - influence(x.facts).score || x.identity.localeCompare(y.identity));
          return {
            text: `Most influential members over the last ${name} (score 0-100 = reach + activity + customer value):`,
            fields: rows.slice(0, 10).map((r) => ({ label: `${r.name} (${r.identity})`, value: explainInfluence(r.facts, ctx.settings.currency) })),
          };
        },
      }),
      sub({
        name: 'tag', usage: `<mention id|burst id> <${TRIAGE_TAGS.join('|')}>`, summary: 'Triage a mention, or every mention of a spike\'s burst (the alert buttons run this)', roles: STAFF,
        args: words(2, 2, `Say the mention id and a tag (${TRIAGE_TAGS.join(', ')})`).transform((a, ctx) => {
          const tag = a.words[1]!.toLowerCase();
          if (!(TRIAGE_TAGS as readonly string[]).includes(tag)) ctx.addIssue({ code: 'custom', message: `"${a.words[1]}" is not a tag; use ${TRIAGE_TAGS.join(', ')}` });
          if (!MENTION_ID.test(a.words[0]!)) ctx.addIssue({ code: 'custom', message: notAnId(a.words[0]!) });
          return { id: a.words[0]!, tag: tag as TriageTag };
        }),
        run: async (ctx, a): Promise<Reply> => {
          const { mentions, bursts } = collections(p, ctx.tenant);
          const m = await mentions.get(a.id);
          if (m) {
            await mentions.updateIfPresent(m.id, { tag: a.tag });
            return { text: `Mention ${m.id} tagged ${a.tag}${m.tag && m.tag !== a.tag ? ` (was ${m.tag})` : ''} by ${ctx.actor.identity}.` };
          }
          const burst = await bursts.get(a.id);
          if (!burst) throw new NotFoundError(`No mention ${a.id}. Ids are shown in /mentions and in alerts.`);
          const members = await mentionsBetween(mentions, Date.parse(burst.from), Date.parse(burst.to) + 1, burst.query);
          for (const x of members) await mentions.updateIfPresent(x.id, { tag: a.tag });
          return { text: `Burst ${burst.id}: ${members.length} mentions of "${burst.query}" tagged ${a.tag} by ${ctx.actor.identity}.` };
        },
      }),
      sub({
        name: 'why', usage: '<mention id>', summary: 'The words that drove a mention\'s sentiment label', roles: STAFF,
        args: words(1, 1, 'Say the mention id, e.g. /mentions why m12.brand').transform((a, ctx) => {
          if (!MENTION_ID.test(a.words[0]!)) ctx.addIssue({ code: 'custom', message: notAnId(a.words[0]!) });
          return { id: a.words[0]! };
        }),
        run: async (ctx, a): Promise<Reply> => {
          const m = await collections(p, ctx.tenant).mentions.get(a.id);
          if (!m) throw new NotFoundError(`No mention ${a.id}. Ids are shown in /mentions and in alerts.`);
          const head = `Mention ${m.id} is ${m.label} (${m.score})`;
          const fields = [{ label: 'Excerpt', value: m.excerpt }];
          if (!m.drivers) return { text: `${head}; it was recorded before listening kept the words behind a label.`, fields };
          if (!m.drivers.length) return { text: `${head}: no sentiment words, emoji or complaint patterns in it.`, fields };
          return { text: `${head} because of: ${driversText(m.drivers)}.`, fields };
        },
      }),
    ],
  });
}
