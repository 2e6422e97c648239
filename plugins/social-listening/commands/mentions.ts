import { command, CommandError, sub, words, type PluginContext, type Reply } from '../../../core/index.js';
import { activity } from '../alerts/alerts.js';
import { driversText } from '../sentiment/explain.js';
import { explainInfluence, influence, type InfluenceFacts } from '../report/influence.js';
import { splitText, summarize, trendText } from '../report/summary.js';
import { collections, daysBetween, mentionsBetween, TRIAGE_TAGS, type Config, type TriageTag } from '../store.js';

const STAFF = ['admin', 'manager', 'rep'] as const;
const HOUR = 3_600_000;
const PERIODS = { today: { ms: 24 * HOUR, name: '24 hours' }, week: { ms: 7 * 24 * HOUR, name: '7 days' }, month: { ms: 30 * 24 * HOUR, name: '30 days' } } as const;
type Period = keyof typeof PERIODS;
const MENTION_ID = /^[a-zA-Z0-9._-]{1,120}$/;
const notAnId = (w: string) => `"${w}" is not a mention id (like m12.brand)`;

const periodArgs = (usage: string) =>
  words(0, 2, '', `Too many words. Usage: ${usage}`).transform((a, ctx) => {
    let period: Period = 'week';
    let query: string | null = null;
    for (const w of a.words.map((x) => x.toLowerCase())) {
      if (w in PERIODS) period = w as Period;
      else if (/^[a-z0-9][a-z0-9_-]{0,39}$/.test(w) && query === null) query = w;
      else ctx.addIssue({ code: 'custom', message: `"${w}" is neither today, week, month nor a query name` });
    }
    return { period, query };
  });

export function mentionsCommand(p: PluginContext<Config>) {
  return command({
    name: 'mentions',
    summary: 'Brand mentions: volume, sentiment, top authors and channels, influencers, triage',
    defaultSubcommand: 'report',
    subcommands: [
      sub({
        name: 'report', usage: '[today|week|month] [query]', summary: 'Volume, sentiment split, top authors and channels, trend (default: week)', roles: STAFF,
        args: periodArgs('/mentions [today|week|month] [query]'),
        run: async (ctx, a): Promise<Reply> => {
          const { mentions, queries } = collections(p, ctx.tenant);
          if (a.query && !(await queries.get(a.query)) && !(await mentions.find({ query: a.query }, { limit: 1 })).length) {
            throw new CommandError(`No query named "${a.query}". See them with /listen list.`);
          }
          const now = Date.parse(ctx.now());
          const { ms, name } = PERIODS[a.period];
          const [cur, prev] = await Promise.all([
            mentionsBetween(mentions, now - ms, now + 1, a.query ?? undefined),
            mentionsBetween(mentions, now - 2 * ms, now - ms, a.query ?? undefined),
          ]);
          const s = summarize(cur, prev);
          const scope = a.query ? `"${a.query}"` : 'all queries';
          if (!s.volume) return { text: `No mentions of ${scope} in the last ${name} (${trendText(s, name)}).` };
          const fields = [
            { label: 'Sentiment', value: `${splitText(s.split)}; average score ${s.averageScore}` },
            { label: 'Top authors', value: s.topAuthors.map((x) => `${x.name}${x.author ? ` (${x.author})` : ''}: ${x.count}`).join(', ') },
            { label: 'Top channels', value: s.topChannels.map((x) => `${x.channel} (${x.platform}): ${x.count}`).join(', ') },
            { label: 'Trend', value: trendText(s, name) },
          ];
          if (!a.query) fields.push({ label: 'By query', value: s.byQuery.map((x) => `${x.query}: ${x.count}`).join(', ') });
          const latest = [...cur].sort((x, y) => y.occurredAt.localeCompare(x.occurredAt)).slice(0, 3);
          fields.push({ label: 'Latest', value: latest.map((m) => `${m.id} ${m.label} ${m.score}: "${m.excerpt}"${m.tag ? ` [${m.tag}]` : ''}`).join('\n') });
          return { text: `Mentions of ${scope} in the last ${name}: ${s.volume} (${trendText(s, name)}).`, fields };
        },
      }),
      sub({
        name: 'influencers', usage: '[today|week|month]', summary: 'Most influential members, score with its parts (reach, activity, customer value)', roles: STAFF,
        args: periodArgs('/mentions influencers [today|week|month]'),
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
            rows.push({ name: displayName, identity, facts: { reach: null, ...(await activity(p, ctx.tenant, identity, now - ms)), monetaryMinor: rfm?.monetaryMinor ?? 0 } });
          }
          rows.sort((x, y) => influence(y.facts).score - influence(x.facts).score || x.identity.localeCompare(y.identity));
          return {
            text: `Most influential members over the last ${name} (score 0-100 = reach + activity + customer value):`,
            fields: rows.slice(0, 10).map((r) => ({ label: `${r.name} (${r.identity})`, value: explainInfluence(r.facts, ctx.settings.currency) })),
          };
        },
      }),
      sub({
        name: 'tag', usage: `<mention id> <${TRIAGE_TAGS.join('|')}>`, summary: 'Triage a mention (the alert buttons run this)', roles: STAFF,
        args: words(2, 2, `Say the mention id and a tag (${TRIAGE_TAGS.join(', ')})`).transform((a, ctx) => {
          const tag = a.words[1]!.toLowerCase();
          if (!(TRIAGE_TAGS as readonly string[]).includes(tag)) ctx.addIssue({ code: 'custom', message: `"${a.words[1]}" is not a tag; use ${TRIAGE_TAGS.join(', ')}` });
          if (!MENTION_ID.test(a.words[0]!)) ctx.addIssue({ code: 'custom', message: notAnId(a.words[0]!) });
          return { id: a.words[0]!, tag: tag as TriageTag };
        }),
        run: async (ctx, a): Promise<Reply> => {
          const { mentions } = collections(p, ctx.tenant);
          const m = await mentions.get(a.id);
          if (!m) throw new CommandError(`No mention ${a.id}. Ids are shown in /mentions and in alerts.`);
          await mentions.put({ ...m, tag: a.tag });
          return { text: `Mention ${m.id} tagged ${a.tag}${m.tag && m.tag !== a.tag ? ` (was ${m.tag})` : ''} by ${ctx.actor.identity}.` };
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
          if (!m) throw new CommandError(`No mention ${a.id}. Ids are shown in /mentions and in alerts.`);
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
