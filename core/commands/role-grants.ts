import type { Reply } from '../chat/reply.js';
import { platformOf } from '../domain/ids.js';
import type { IdentityLink, Role } from '../domain/types.js';
import type { EventsOf, TenantStore } from '../store/port.js';
import type { Customer } from '../domain/types.js';
import { draft } from '../events/bus.js';
import type { CommandContext } from './types.js';

/** A role given with `/crm role`: who gave it and when. Roles from CRM_ADMINS and roles.assign are never stored. */
export interface RoleGrant {
  id: string;
  role: Role;
  by: string;
  at: string;
}

const GRANTS = ['core', 'role_grants'] as const;

export const roleGrants = (store: TenantStore) => store.docs<RoleGrant>(...GRANTS);

/** An identity and the role granted it, read together: every message needs both. */
export const identityWithGrant = (store: TenantStore, identity: string) => store.identities.getWithDoc<RoleGrant>(identity, ...GRANTS);

/**
 * Gives a customer-role identity its customer record: a new one named after the identity, unless it
 * already has one. Returns the record that was created, or null.
 */
export async function ensureCustomerRecord(store: TenantStore, link: IdentityLink, now: string, events?: EventsOf<Customer>) {
  if (link.role !== 'customer' || link.customerId !== null) return null;
  const created = await store.customers.create({ name: link.displayName || link.identity }, now, events);
  await store.identities.attach(link.identity, created.id);
  return created;
}

/** Stores the grant (or drops it, for revoke) and applies the role the sources now give. */
export async function setGrant(ctx: CommandContext, identity: string, role: Role | 'revoke'): Promise<Reply> {
  const grants = roleGrants(ctx.store);
  const now = ctx.now();
  const before = await grants.get(identity);
  if (role === 'revoke') {
    if (!before) return { text: `${identity} has no role granted with /crm role; nothing to revoke. See /crm roles.` };
    await grants.delete(identity);
  } else {
    await grants.put({ id: identity, role, by: ctx.actor.identity, at: now });
  }
  const effective = ctx.roles.configured(identity) ?? (role === 'revoke' ? null : role) ?? ctx.roles.platformDefault(platformOf(identity));
  let link = await ctx.store.identities.get(identity);
  if (!link) link = await ctx.store.identities.touch({ identity, platform: platformOf(identity), displayName: identity, role: effective, customerId: null, locale: null }, now);
  link = (await ctx.store.identities.setRole(identity, effective))!;
  const tx = ctx.bus.batch();
  const created = await ensureCustomerRecord(ctx.store, link, now, tx.events((customer) => [draft('customer.created', { tenant: ctx.tenant, customer })]));
  await tx.published();
  const record = created ? ` Customer record C-${created.id} was created for them.` : '';
  const source = ctx.roles.configuredBy(identity);
  if (source) {
    return { text: `${role === 'revoke' ? `Revoked the granted ${before!.role} role of ${identity}` : `Stored ${role} for ${identity}`}, but ${source} makes them ${effective}, and the configuration wins while it names them.${record}` };
  }
  if (role === 'revoke') return { text: `Revoked the ${before!.role} role ${before!.by} granted ${identity}; they are now ${effective} (the ${platformOf(identity)} default).${record}` };
  return { text: `${identity} is now ${effective}.${record}` };
}

/** Every role that is not a platform default, with where it comes from. */
export async function listRoles(ctx: CommandContext): Promise<Reply> {
  const grants = await roleGrants(ctx.store).find({}, { limit: 1000, orderBy: 'at' });
  const fields = [
    ...ctx.roles.configuredAll().map((c) => ({ label: c.identity, value: `${c.role} (${c.source === 'CRM_ADMINS' ? 'CRM_ADMINS' : 'roles.assign in the config file'})` })),
    ...grants.map((g) => {
      const over = ctx.roles.configuredBy(g.id);
      return { label: g.id, value: `${g.role}, granted by ${g.by} on ${g.at.slice(0, 16).replace('T', ' ')} UTC${over ? ` (${over} overrides it)` : ''}` };
    }),
  ];
  if (!fields.length) return { text: 'Everyone has their platform default role; no role is configured or granted.' };
  return { text: 'Roles beyond the platform defaults (configuration wins over grants; revoke a grant with /crm role <identity> revoke):', fields };
}
