import type { Field } from '../chat/reply.js';
import { sub } from '../commands/define.js';
import { words } from '../commands/args.js';
import { ConflictError, NotFoundError } from '../commands/router.js';
import type { Subcommand } from '../commands/types.js';
import { parseShortId, shortId } from '../domain/ids.js';
import { formatInZone, zoneFor } from '../domain/time-zone.js';
import type { Case } from '../domain/types.js';
import { draft, type EventBus } from '../events/bus.js';
import type { Store, TenantStore } from '../store/port.js';

const STAFF = ['admin', 'manager', 'rep'] as const;
const HOUR = 3_600_000;

/** `3.5 h`, `2.1 d`: a duration as people read it. */
export function formatHours(ms: number): string {
  const h = ms / HOUR;
  return h < 48 ? `${Math.round(h * 10) / 10} h` : `${Math.round((h / 24) * 10) / 10} d`;
}

/** `/customer resolve K-<n> <resolution>`: closes a case, recording who, when and how, and tells plugins. */
export const resolveSubcommand: Subcommand<any> = sub({
  name: 'resolve', usage: '<case id like K-3> <resolution>', summary: 'Close a case, saying how it was resolved', roles: STAFF,
  args: words(2, 200, 'Say which case and how it was resolved, like /customer resolve K-3 refunded the delivery fee').transform((a, c) => {
    const id = parseShortId('case', a.words[0]!);
    const resolution = a.words.slice(1).join(' ');
    if (id === null) c.addIssue({ code: 'custom', message: `"${a.words[0]!.slice(0, 40)}" is not a case id (like K-3)` });
    if (resolution.length > 1000) c.addIssue({ code: 'custom', message: 'The resolution is longer than 1000 characters' });
    return { caseId: id ?? 0, resolution };
  }),
  run: async (ctx, a) => {
    const k = shortId('case', a.caseId);
    const open = await ctx.store.cases.get(a.caseId);
    if (!open) throw new NotFoundError(`There is no case ${k}.`);
    const zone = zoneFor(ctx.actor, ctx.settings.timezone);
    const tx = ctx.bus.batch();
    const closed = await ctx.store.cases.close(a.caseId, ctx.now(), { by: ctx.actor.identity, resolution: a.resolution }, tx.events((kase) => [draft('case.closed', { tenant: ctx.tenant, case: kase })]));
    if (!closed) throw new ConflictError(`${k} was already closed on ${formatInZone(open.closedAt ?? ctx.now(), zone)}${open.closedBy ? ` by ${open.closedBy}` : ''}.`);
    await tx.published();
    const took = formatHours(Date.parse(closed.closedAt!) - Date.parse(closed.openedAt));
    return {
      text: `Resolved ${k} (${closed.kind}) for ${shortId('customer', closed.customerId)} after ${took}: ${a.resolution}`,
      buttons: [{ id: 'customer.show', label: 'Open customer', value: shortId('customer', closed.customerId) }],
    };
  },
});

/** The card's line of resolved complaints: how long each took and how it ended, newest first. */
export async function resolvedComplaintsField(store: TenantStore, customerId: number): Promise<Field> {
  const done = (await store.cases.list({ customerId, kind: 'complaint' }, 200)).filter((k): k is Case & { closedAt: string } => k.closedAt !== null).reverse();
  return {
    label: 'Resolved complaints',
    value: done.slice(0, 5).map((k) => `${shortId('case', k.id)} in ${formatHours(Date.parse(k.closedAt) - Date.parse(k.openedAt))}${k.resolution ? `: ${k.resolution}` : ''}`).join('\n') || 'none',
  };
}

/** A staff activity logged for a customer (call, e-mail, note...) is the first response to their open cases. */
export function trackFirstResponses(bus: EventBus, store: Store): void {
  bus.subscribe('core:first-response', 'interaction.recorded', async ({ tenant, interaction: i }) => {
    if (i.direction !== 'out' || i.customerId === null || i.type === 'complaint' || i.type === 'purchase') return;
    await store.tenant(tenant).cases.respond(i.customerId, i.occurredAt);
  });
}
