import { z } from 'zod';
import { RoleError, NotFoundError, ConflictError, command, sub, words, type CommandContext, type CommandSpec } from '../../core/plugin-api.js';
import { buildDigest } from './deliver.js';
import { explainDigest } from './digest/explain.js';
import { CADENCES, TIME_HINT, parseTime, type Cadence, type PeriodKind } from './schedule/cadence.js';
import { isTimeZone } from './schedule/zoned.js';
import { newSubscriptionId, subscriptionTarget, type Subscription, type Subscriptions } from './subscriptions.js';
import type { Ctx } from './manifest.js';

const STAFF = ['admin', 'manager', 'rep'] as const;
const KINDS = ['day', 'week', 'month'] as const;
const NO_CRON = 'there is no free cron: the finest grain is daily';

/** `<daily|weekly|monthly> [HH:MM] [zone]`; a word shaped like a time is the time, any other the zone. */
const subscribeArgs = words(1, 3, 'Say how often: /digest subscribe daily|weekly|monthly [HH:MM] [timezone]', `Too many words: say a cadence, a time and a zone (${NO_CRON})`)
  .transform((a, c) => {
    const [cadence, ...rest] = a.words.map((w) => w.trim());
    if (!(CADENCES as readonly string[]).includes(cadence!.toLowerCase())) {
      c.addIssue({ code: 'custom', message: `"${cadence}" is not a cadence: say daily, weekly or monthly (${NO_CRON})` });
    }
    let time: string | null = null;
    let zone: string | null = null;
    for (const w of rest) {
      if (/^\d{1,2}:\d{1,2}$/.test(w) && time === null) {
        if (!parseTime(w)) c.addIssue({ code: 'custom', message: `"${w}" is not a time: ${TIME_HINT}` });
        time = w.padStart(5, '0');
      } else if (zone === null) {
        if (!isTimeZone(w)) c.addIssue({ code: 'custom', message: `"${w}" is not a time zone: ${TIME_HINT}` });
        zone = w;
      } else c.addIssue({ code: 'custom', message: `Say one time and one zone: ${TIME_HINT}` });
    }
    return { cadence: cadence!.toLowerCase() as Cadence, time, zone };
  });

const kindArg = words(0, 1, '').transform((a) => (a.words[0] ?? 'day').toLowerCase())
  .pipe(z.enum(KINDS, { message: 'Say day, week or month' }));

function describe(s: Subscription): string {
  return `${s.cadence} at ${s.time} ${s.timezone} to ${s.target} (by ${s.subscriber}${s.lastSentFor ? `; last due ${s.lastSentFor}` : ''})`;
}

const canManage = (ctx: CommandContext, s: Subscription) => ctx.actor.role !== 'rep' || s.subscriber === ctx.actor.identity;

export function digestCommand(plugin: Ctx, subs: Subscriptions): CommandSpec {
  return command({
    name: 'digest',
    summary: 'Scheduled KPI digests with a chart: subscribe, list, unsubscribe, now, explain',
    subcommands: [
      sub({
        name: 'subscribe', usage: '<daily|weekly|monthly> [HH:MM] [timezone]', roles: STAFF, args: subscribeArgs,
        summary: 'Get the digest here on schedule (default 08:00 in your time zone); reps get their own book',
        run: async (ctx, a) => {
          const target = subscriptionTarget(ctx.platform, ctx.actor.identity, ctx.channel);
          const s: Subscription = {
            id: newSubscriptionId(), tenant: ctx.tenant, platform: ctx.platform, target, subscriber: ctx.actor.identity, cadence: a.cadence,
            time: a.time ?? '08:00', timezone: a.zone ?? ctx.actor.timezone ?? ctx.settings.timezone, createdAt: ctx.now(), lastSentFor: null,
            ...(ctx.sourceEventId ? { sourceEventId: ctx.sourceEventId } : {}),
          };
          const same = (await subs.find(ctx.tenant, { target, cadence: s.cadence })).find((x) => x.time === s.time && x.timezone === s.timezone);
          // Made by this very event (replayed after its process died): the first run's answer, nothing added twice.
          const mine = same && ctx.sourceEventId && same.sourceEventId === ctx.sourceEventId ? same : null;
          if (same && !mine) throw new ConflictError(`This chat already gets that digest: ${same.id}, ${describe(same)}. See /digest list.`);
          if (!mine) await subs.add(s);
          const made = mine ?? s;
          const view = ctx.actor.role === 'rep' ? 'your own book' : 'the company view';
          return { text: `Subscribed ${made.id}: ${describe(made)}, showing ${view}. Stop it with /digest unsubscribe ${made.id}.` };
        },
      }),
      sub({
        name: 'list', usage: '', summary: 'Digest subscriptions (managers see all, reps their own)', roles: STAFF, args: words(0, 0, ''),
        run: async (ctx) => {
          const all = await subs.find(ctx.tenant, ctx.actor.role === 'rep' ? { subscriber: ctx.actor.identity } : {});
          if (!all.length) return { text: 'No digest subscriptions. Start one with /digest subscribe daily|weekly|monthly [HH:MM] [timezone].' };
          return { text: `${all.length} digest subscription${all.length === 1 ? '' : 's'}:`, fields: all.map((s) => ({ label: s.id, value: describe(s) })) };
        },
      }),
      sub({
        name: 'unsubscribe', usage: '<id>', summary: 'Stop a digest subscription', roles: STAFF,
        args: words(1, 1, 'Say which subscription (see /digest list)').transform((a) => a.words[0]!)
          .pipe(z.string().regex(/^dg-[0-9a-f]{8}$/, 'A subscription id looks like dg-1a2b3c4d (see /digest list)')),
        run: async (ctx, id) => {
          const s = await subs.get(ctx.tenant, id);
          if (!s) throw new NotFoundError(`No subscription ${id}. See /digest list.`);
          if (!canManage(ctx, s)) throw new RoleError(`${id} belongs to ${s.subscriber}; only they or a manager can stop it.`);
          await subs.remove(ctx.tenant, id);
          return { text: `Unsubscribed ${id}; no more ${s.cadence} digests to ${s.target}.` };
        },
      }),
      sub({
        name: 'now', usage: '[day|week|month]', summary: 'The digest for the day (last 24 hours), week or month ending now', roles: STAFF, args: kindArg,
        run: async (ctx, kind: PeriodKind) => {
          const rep = ctx.actor.role === 'rep';
          return buildDigest(plugin, ctx.tenant, {
            kind, to: Date.parse(ctx.now()), timezone: ctx.actor.timezone ?? ctx.settings.timezone, owner: rep ? ctx.actor.identity : null,
            scope: rep ? `book of ${ctx.actor.identity}` : 'company view', late: false,
          });
        },
      }),
      sub({
        name: 'explain', usage: '[day|week|month]', summary: 'How each digest figure is computed', roles: STAFF, args: kindArg,
        run: async (ctx, kind: PeriodKind) => explainDigest(kind, ctx.settings),
      }),
    ],
  });
}
