import type { Reply } from '../../core/plugin-api.js';
import { computeDigest } from './digest/compute.js';
import { complaintsField } from './digest/complaints.js';
import { readLoyalty } from './digest/loyalty.js';
import { renderDigest } from './digest/render.js';
import { KIND_OF, scheduledPeriodEnd, type PeriodKind } from './schedule/cadence.js';
import { owedAt } from './schedule/due.js';
import type { Subscription, Subscriptions } from './subscriptions.js';
import type { Ctx } from './manifest.js';

/** Company view for managers and admins, own book for reps; nothing for anyone else. */
export async function scopeOf(ctx: Ctx, tenant: string, identity: string): Promise<{ owner: string | null; label: string } | null> {
  const role = (await ctx.tenant(tenant).identities.get(identity))?.role;
  if (role === 'admin' || role === 'manager') return { owner: null, label: 'company view' };
  if (role === 'rep') return { owner: identity, label: `book of ${identity}` };
  return null;
}

export async function buildDigest(ctx: Ctx, tenant: string, o: { kind: PeriodKind; to: number; timezone: string; owner: string | null; scope: string; late: boolean }): Promise<Reply> {
  const settings = ctx.settings(tenant);
  const data = await computeDigest(ctx.tenant(tenant), settings, { kind: o.kind, to: o.to, timezone: o.timezone, owner: o.owner, now: ctx.now() });
  // bounds end with [previous period start, period start, period end].
  const loyalty = await readLoyalty(ctx.kpis, tenant, data.bounds.at(-3)!, data.from, data.to);
  const reply = renderDigest(data, loyalty, {
    kind: o.kind, timezone: o.timezone, currency: settings.currency, scope: o.scope, late: o.late,
    locale: settings.locale, minAnswers: settings.kpi.minAnswers, fx: settings.fx,
  });
  const complaints = await complaintsField(ctx.tenant(tenant), data.from, data.to, o.owner, ctx.now());
  return { ...reply, fields: [...(reply.fields ?? []), complaints] };
}

/**
 * Queues the digest due at `due` once: the outbox key makes every process and every retry agree, and
 * `lastSentFor` tells the next tick it was handled. A subscriber who is no longer staff gets nothing
 * for that due time, once, rather than a warning every minute.
 */
export async function deliver(ctx: Ctx, subs: Subscriptions, s: Subscription, due: number, late: boolean): Promise<void> {
  const dueIso = new Date(due).toISOString();
  const scope = await scopeOf(ctx, s.tenant, s.subscriber);
  if (!scope) {
    ctx.log.warn({ subscription: s.id, subscriber: s.subscriber }, 'digest skipped: the subscriber is no longer staff');
    await subs.markSent(s, dueIso);
    return;
  }
  const reply = await buildDigest(ctx, s.tenant, {
    kind: KIND_OF[s.cadence], to: scheduledPeriodEnd(due, s.cadence, s.timezone), timezone: s.timezone, owner: scope.owner, scope: scope.label, late,
  });
  await ctx.outbox.send(s.tenant, { platform: s.platform, target: s.target, reply, idempotencyKey: `digest:${s.id}:${dueIso}` });
  await subs.markSent(s, dueIso);
}

/**
 * The one minute job, registered in every process; the scheduler's tick claim makes exactly one worker
 * run each tick. It reads every subscription, so one created or removed by any process (web or worker)
 * counts from the next minute, and a digest missed while everything was down goes out late.
 */
export async function sendDue(ctx: Ctx, subs: Subscriptions, tick: string): Promise<void> {
  const at = Date.parse(tick);
  for (const s of await subs.all()) {
    const owed = owedAt(s, at);
    if (!owed) continue;
    try {
      await deliver(ctx, subs, s, owed.due, owed.late);
    } catch (e) {
      // Still owed: the next tick tries again.
      ctx.log.error({ subscription: s.id, err: String(e) }, 'digest failed');
    }
  }
}
