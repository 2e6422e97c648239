import { command, CommandError, RoleError, NotFoundError, ConflictError, sub, words, type CommandContext, type Reply } from '../../../core/plugin-api.js';
import { baselineForming } from '../alerts/alerts.js';
import { urlProblem } from '../feeds/fetch.js';
import { parsePath } from '../feeds/json-path.js';
import { cronText } from '../feeds/schedule.js';
import type { Listening } from '../listening.js';
import { Matcher } from '../match/matcher.js';
import { parseQuery, QueryError } from '../query/parse.js';
import { driversText } from '../sentiment/explain.js';
import { sentiment } from '../sentiment/score.js';
import { collections, type Config, type Source } from '../store.js';
import type { Ctx } from '../manifest.js';

const MANAGERS = ['admin', 'manager'] as const;
const STAFF = ['admin', 'manager', 'rep'] as const;
const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

function nameIssue(name: string): string | null {
  return NAME.test(name) ? null : `"${name}" is not a query name: use 1-40 letters, digits, - or _ (like brand or acme-refunds)`;
}

/** `<name> <rest...>` from the raw text, so the query keeps its quotes and spacing. */
function nameAndRest(rest: string): { name: string; text: string } {
  const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(rest.trim());
  return { name: (m?.[1] ?? '').toLowerCase(), text: (m?.[2] ?? '').trim() };
}

/** The text with [brackets] around each matched span. */
export function markSpans(text: string, spans: [number, number][]): string {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [s, e] of sorted) {
    if (s < at) continue;
    out += `${text.slice(at, s)}[${text.slice(s, e)}]`;
    at = e;
  }
  return out + text.slice(at);
}

function requireManager(ctx: CommandContext, what: string): void {
  if (!(MANAGERS as readonly string[]).includes(ctx.actor.role)) {
    throw new RoleError(`/listen ${what} needs the role admin or manager; you are ${ctx.actor.role}. Ask an admin (/crm role).`);
  }
}

const HOUR = 3_600_000;
const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function listenCommand(p: Ctx, listening: Listening) {
  const c = (tenant: string) => collections(p, tenant);
  const formingText = (createdAt: string, nowMs: number) =>
    baselineForming(createdAt, p.config.baselineHours, nowMs) ? `; baseline still forming, spike alerts from ${minute(Date.parse(createdAt) + p.config.baselineHours * HOUR)} UTC` : '';
  return command({
    name: 'listen',
    summary: 'Social listening queries and sources: add, list, remove, test, source',
    subcommands: [
      sub({
        name: 'add', usage: '<name> <query>', summary: 'Listen for a query (terms, "phrases", AND OR NOT, ( ), NEAR/n, prefix*)', roles: MANAGERS,
        args: words(2, 400, 'Say a name and a query, e.g. /listen add brand "acme" OR acmecorp').transform((a, ctx) => {
          const { name, text } = nameAndRest(a.rest);
          const bad = nameIssue(name);
          if (bad) ctx.addIssue({ code: 'custom', message: bad });
          try {
            parseQuery(text);
          } catch (e) {
            if (!(e instanceof QueryError)) throw e;
            ctx.addIssue({ code: 'custom', message: `Query error ${e.message}` });
          }
          return { name, text };
        }),
        run: async (ctx, a) => {
          const { queries } = c(ctx.tenant);
          const existing = await queries.get(a.name);
          // Saved by this very event (replayed after its process died): not a conflict, and nothing to save again.
          const mine = existing && ctx.sourceEventId && existing.sourceEventId === ctx.sourceEventId ? existing : null;
          if (existing && !mine) throw new ConflictError(`There is already a query "${a.name}". Remove it first with /listen remove ${a.name}, or pick another name.`);
          const saved = mine ?? { id: a.name, name: a.name, query: a.text, createdBy: ctx.actor.identity, createdAt: ctx.now(), ...(ctx.sourceEventId ? { sourceEventId: ctx.sourceEventId } : {}) };
          if (!mine) {
            const count = await queries.count({});
            if (count >= p.config.maxQueries) throw new CommandError(`This workspace has the maximum of ${p.config.maxQueries} queries; remove one with /listen remove <name>.`);
            await queries.put(saved);
          }
          await listening.queriesChanged(ctx.tenant);
          const hours = p.config.baselineHours;
          const forming = hours ? ` Spike alerts start once its baseline has formed: ${hours} hour${hours === 1 ? '' : 's'} of listening, from ${minute(Date.parse(saved.createdAt) + hours * HOUR)} UTC.` : '';
          return { text: `Listening for ${a.name}: ${a.text}. Try it with /listen test ${a.name} <some text>.${forming}` };
        },
      }),
      sub({
        name: 'list', usage: '', summary: 'The saved queries', roles: STAFF, args: words(0, 0, ''),
        run: async (ctx) => {
          const qs = await c(ctx.tenant).queries.find({}, { orderBy: 'name', limit: 100_000 });
          if (!qs.length) return { text: 'No listening queries yet. Add one with /listen add <name> <query>.' };
          return { text: `${qs.length} listening ${qs.length === 1 ? 'query' : 'queries'}:`, fields: qs.slice(0, 50).map((q) => ({ label: q.name, value: `${q.query} (by ${q.createdBy})${formingText(q.createdAt, Date.parse(ctx.now()))}` })) };
        },
      }),
      sub({
        name: 'remove', usage: '<name>', summary: 'Stop listening for a query (its mentions stay)', roles: MANAGERS,
        args: words(1, 1, 'Say which query, e.g. /listen remove brand').transform((a) => ({ name: a.words[0]!.toLowerCase() })),
        run: async (ctx, a) => {
          if (!(await c(ctx.tenant).queries.delete(a.name))) throw new NotFoundError(`No query named "${a.name}". See them with /listen list.`);
          await listening.queriesChanged(ctx.tenant);
          return { text: `Stopped listening for ${a.name}. Its past mentions stay in /mentions.` };
        },
      }),
      sub({
        name: 'test', usage: '<name> <sample text>', summary: 'Whether and where a saved query matches a text', roles: STAFF,
        args: words(2, 1000, 'Say the query name and a sample text, e.g. /listen test brand I love Acme').transform((a) => nameAndRest(a.rest)),
        run: async (ctx, a): Promise<Reply> => {
          const q = await c(ctx.tenant).queries.get(a.name);
          if (!q) throw new NotFoundError(`No query named "${a.name}". See them with /listen list.`);
          const [hit] = new Matcher([{ name: q.name, query: parseQuery(q.query) }]).match(a.text);
          const m = sentiment(a.text);
          const mood = `${m.label} (${m.score})${m.drivers.length ? `: ${driversText(m.drivers)}` : ''}`;
          if (!hit) return { text: `No match: ${q.name} (${q.query}) does not match that text.`, fields: [{ label: 'Sentiment', value: mood }] };
          return {
            text: `Match: ${q.name} (${q.query}) matches at ${hit.spans.map(([s, e]) => `${s + 1}-${e}`).join(', ')}.`,
            fields: [{ label: 'Where', value: markSpans(a.text, hit.spans) }, { label: 'Sentiment', value: mood }],
          };
        },
      }),
      sub({
        name: 'source', usage: 'add rss <url> | add json <url> <field path> | list | remove <id>', summary: 'RSS/Atom feeds and JSON endpoints polled on the pollCron schedule', roles: STAFF,
        args: words(1, 4, 'Say add, list or remove, e.g. /listen source add rss https://example.com/feed.xml').transform((a, ctx) => {
          const [action = '', ...rest] = a.words;
          const act = action.toLowerCase();
          if (act === 'list') return { action: 'list' as const };
          if (act === 'remove') {
            if (rest.length !== 1) ctx.addIssue({ code: 'custom', message: 'Say which source, e.g. /listen source remove S-1' });
            return { action: 'remove' as const, id: (rest[0] ?? '').toUpperCase() };
          }
          if (act !== 'add') {
            ctx.addIssue({ code: 'custom', message: `"${action}" is not add, list or remove` });
            return { action: 'list' as const };
          }
          const kind = (rest[0] ?? '').toLowerCase();
          const url = rest[1] ?? '';
          if (kind !== 'rss' && kind !== 'json') ctx.addIssue({ code: 'custom', message: 'Say rss or json: /listen source add rss <url> or /listen source add json <url> <field path>' });
          else if (!url) ctx.addIssue({ code: 'custom', message: 'Say the URL' });
          else {
            const bad = urlProblem(url);
            if (bad) ctx.addIssue({ code: 'custom', message: `Refused: ${bad}` });
          }
          const field = kind === 'json' ? rest[2] ?? '' : null;
          if (kind === 'json' && !parsePath(field ?? '')) ctx.addIssue({ code: 'custom', message: `Say where the text is in each item, like $.items[*].text${field ? ` ("${field}" is not such a path)` : ''}` });
          if (kind === 'rss' && rest.length > 2) ctx.addIssue({ code: 'custom', message: 'An rss source takes only the URL' });
          return { action: 'add' as const, kind: kind as Source['kind'], url, field };
        }),
        run: async (ctx, a): Promise<Reply> => {
          const { sources } = c(ctx.tenant);
          if (a.action === 'list') {
            const all = await sources.find({}, { limit: 1000 });
            if (!all.length) return { text: 'No sources. Add one with /listen source add rss <url>.' };
            return {
              text: `${all.length} source${all.length === 1 ? '' : 's'}, polled ${cronText(p.config.pollCron)}:`,
              fields: all.sort((x, y) => Number(x.id.slice(2)) - Number(y.id.slice(2))).map((s) => ({
                label: s.id,
                value: `${s.kind} ${s.url}${s.field ? ` (${s.field})` : ''}; ${s.lastPolledAt ? `last polled ${s.lastPolledAt}${s.lastError ? `, skipped: ${s.lastError}` : ', ok'}` : 'not polled yet'}`,
              })),
            };
          }
          requireManager(ctx, `source ${a.action}`);
          if (a.action === 'remove') {
            if (!(await sources.delete(a.id))) throw new NotFoundError(`No source ${a.id}. See them with /listen source list.`);
            return { text: `Source ${a.id} removed; its past mentions stay.` };
          }
          const all = await sources.find({}, { limit: 1000 });
          if (all.length >= p.config.maxSources) throw new CommandError(`This workspace has the maximum of ${p.config.maxSources} sources; remove one with /listen source remove <id>.`);
          if (all.some((s) => s.url === a.url && s.field === a.field)) throw new ConflictError(`That source is already polled; see /listen source list.`);
          const id = `S-${Math.max(0, ...all.map((s) => Number(s.id.slice(2)) || 0)) + 1}`;
          const source: Source = { id, kind: a.kind, url: a.url, field: a.field, etag: null, lastModified: null, addedBy: ctx.actor.identity, addedAt: ctx.now(), lastPolledAt: null, lastError: null };
          await sources.put(source);
          return { text: `Source ${id} added (${a.kind} ${a.url}); it is polled ${cronText(p.config.pollCron)}.` };
        },
      }),
    ],
  });
}
