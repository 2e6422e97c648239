import type { PluginContext, Reply } from '../../core/index.js';
import { computeDigest } from './digest/compute.js';
import { readLoyalty } from './digest/loyalty.js';
import { renderDigest } from './digest/render.js';
import { KIND_OF, cronFor, lastDueAtOrBefore, scheduledPeriodEnd, type PeriodKind } from './schedule/cadence.js';
import type { Subscription, Subscriptions } from './subscriptions.js';

/** Company view for managers and admins, own book for reps; nothing for anyone else. */
export async function scopeOf(ctx: PluginContext<any>, tenant: string, identity: string): Promise<{ owner: string | null; label: string } | null> {
  const role = (await ctx.tenant(tenant).identities.get(identity))?.role;
  if (role === 'admin' || role === 'manager') return { owner: null, label: 'company view' };
  if (role === 'rep') return { owner: identity, label: `book of ${identity}` };
  return null;
}

export async function buildDigest(ctx: PluginContext<any>, tenant: string, o: { kind: PeriodKind; to: number; timezone: string; owner: string | null; scope: string; late: boolean }): Promise<Reply> {
  const settings = ctx.settings(tenant);
  const data = await computeDigest(ctx.tenant(tenant), settings, { kind: o.kind, to: o.to, timezone: o.timezone, owner: o.owner, now: ctx.now() });
  // bounds end with [previous period start, period start, period end].
  const loyalty = await readLoyalty(ctx.kpis, tenant, data.bounds.at(-3)!, data.from, data.to);
  return renderDigest(data, loyalty, { kind: o.kind, timezone: o.timezone, currency: settings.currency, scope: o.scope, late: o.late });
}

/**
 * Queues the digest due at `due` once: the outbox key makes every process and every retry agree,
 * and `lastSentFor` tells the next start-up it went out.
 */
export async function deliver(ctx: PluginContext<any>, subs: Subscriptions, tenant: string, id: string, due: number, late: boolean): Promise<void> {
  const s = await subs.get(tenant, id);
  const dueIso = new Date(due).toISOString();
  if (!s || (s.lastSentFor !== null && s.lastSentFor >= dueIso)) return;
  const scope = await scopeOf(ctx, tenant, s.subscriber);
  if (!scope) {
    ctx.log.warn({ subscription: id, subscriber: s.subscriber }, 'digest skipped: the subscriber is no longer staff');
    return;
  }
  const reply = await buildDigest(ctx, tenant, {
    kind: KIND_OF[s.cadence], to: scheduledPeriodEnd(due, s.cadence, s.timezone), timezone: s.timezone, owner: scope.owner, scope: scope.label, late,
  });
  await ctx.outbox.send(tenant, { platform: s.platform, target: s.target, reply, idempotencyKey: `digest:${s.id}:${dueIso}` });
  await subs.markSent(s, dueIso);
}

const jobName = (id: string) => `digest:${id}`;

/**
 * One node-cron job per subscription. Unsubscribing removes it in the process that took the command;
 * another process's job finds the document gone at its next tick and removes itself.
 */
export function schedule(ctx: PluginContext<any>, subs: Subscriptions, s: Subscription): void {
  const { cron, timezone } = cronFor(s.cadence, s.time, s.timezone);
  ctx.scheduler.add({
    name: jobName(s.id), cron, timezone,
    run: async (tick) => {
      if (await subs.get(s.tenant, s.id)) await deliver(ctx, subs, s.tenant, s.id, Date.parse(tick), false);
      else unschedule(ctx, s.id);
    },
  });
}

export const unschedule = (ctx: PluginContext<any>, id: string) => ctx.scheduler.remove(jobName(id));

/** A digest that fell due while every process was down goes out once, marked late. */
export async function catchUp(ctx: PluginContext<any>, subs: Subscriptions, s: Subscription): Promise<void> {
  const due = lastDueAtOrBefore(Date.parse(ctx.now()), s.cadence, s.time, s.timezone);
  if (due <= Date.parse(s.createdAt)) return;
  await deliver(ctx, subs, s.tenant, s.id, due, true);
}
