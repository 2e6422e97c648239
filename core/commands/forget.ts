import type { Customer } from '../domain/types.js';
import type { CommandContext } from './types.js';
import { roleGrants } from './role-grants.js';

/**
 * A person's footprint: their record, every record merged into it, and every identity they had.
 * Export and forget both start from it, so whatever one shows the other removes.
 */
async function footprint(ctx: CommandContext, c: Customer) {
  const plan = await ctx.store.erasure.footprint(c.id);
  const records = (await Promise.all(plan.customerIds.map((id) => ctx.store.customers.get(id)))).filter((x): x is Customer => x !== null);
  const identities = (await Promise.all(plan.identities.map((i) => ctx.store.identities.get(i)))).filter((x) => x !== null);
  return { plan, records, identities };
}

const coreDocs = (ctx: CommandContext) => ({
  codes: ctx.store.docs<{ id: string; identity: string }>('core', 'link_codes'),
  tries: ctx.store.docs<{ id: string }>('core', 'link_tries'),
  requests: ctx.store.docs<{ id: string; from: string; to: string }>('core', 'link_requests'),
  grants: roleGrants(ctx.store),
  configured: ctx.store.docs<{ id: string; identities: string[] }>('core', 'configured_roles'),
});

export async function exportPerson(ctx: CommandContext, c: Customer): Promise<Record<string, unknown>> {
  const { plan, records, identities } = await footprint(ctx, c);
  const docs = coreDocs(ctx);
  const per = async <T>(f: (id: number) => Promise<T[]>) => (await Promise.all(plan.customerIds.map(f))).flat();
  const perIdentity = async <T>(f: (id: string) => Promise<T[]>) => (await Promise.all(plan.identities.map(f))).flat();
  const mergedPlugins: Record<string, unknown> = {};
  for (const id of plan.customerIds) if (id !== c.id) mergedPlugins[`C-${id}`] = await ctx.privacy.export(ctx.tenant, id);
  return {
    customer: c,
    mergedRecords: records.filter((r) => r.id !== c.id),
    identities,
    interactions: await per((id) => ctx.store.interactions.listForCustomer(id, 100_000)),
    deals: await per((id) => ctx.store.deals.list({ customerId: id }, 100_000)),
    cases: await per((id) => ctx.store.cases.listOpen(id)),
    messages: await perIdentity((i) => ctx.store.outbox.delivered(i, 100_000)),
    roleGrants: (await perIdentity(async (i) => [await docs.grants.get(i)])).filter(Boolean),
    linkCodes: (await perIdentity((i) => docs.codes.find({ identity: i }))).map((x) => ({ handle: x.id, identity: x.identity })),
    linkRequests: [...(await perIdentity((i) => docs.requests.find({ from: i }))), ...(await perIdentity((i) => docs.requests.find({ to: i })))],
    plugins: await ctx.privacy.export(ctx.tenant, c.id),
    mergedPlugins,
  };
}

/** Removes the person everywhere: plugins first (they still see the identities), then every core table. */
export async function forgetPerson(ctx: CommandContext, c: Customer): Promise<{ records: number; identities: number }> {
  const { plan, records, identities } = await footprint(ctx, c);
  const words = [
    ...records.flatMap((r) => [r.name, ...r.emails, ...r.phones]),
    ...identities.map((i) => i.displayName),
  ];
  for (const id of plan.customerIds) await ctx.privacy.erase(ctx.tenant, id);
  const docs = coreDocs(ctx);
  for (const i of plan.identities) {
    await docs.codes.deleteWhere({ identity: i });
    await docs.tries.delete(i);
    await docs.requests.deleteWhere({ from: i });
    await docs.requests.deleteWhere({ to: i });
    await docs.grants.delete(i);
    // Their web sign-ins end too: sessions and unused invite codes.
    await ctx.store.webAccess.eraseIdentity(i);
  }
  // The start-up memory of configured identities (see Engine.applyConfiguredRoles) forgets them too.
  const configured = await docs.configured.get('last');
  if (configured) await docs.configured.put({ ...configured, identities: configured.identities.filter((i) => !plan.identities.includes(i)) });
  await ctx.store.erasure.erase(plan, words, ctx.now());
  return { records: plan.customerIds.length, identities: plan.identities.length };
}
