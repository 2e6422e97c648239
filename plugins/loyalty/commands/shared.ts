import { randomUUID } from 'node:crypto';
import { CommandError, NotFoundError, RoleError, isIdentity, resolveCustomer, shortId, type CommandContext, type Customer, type DocCollection, type Ledger, type LedgerEntry } from '../../../core/plugin-api.js';
import type { HeldPoints } from '../approvals.js';
import type { LoyaltyConfig } from '../config.js';

export const EVERYONE = ['admin', 'manager', 'rep', 'customer'] as const;
export const STAFF = ['admin', 'manager', 'rep'] as const;
export const MANAGERS = ['admin', 'manager'] as const;

export interface Reward {
  id: string;
  title: string;
  cost: number;
  createdAt: string;
  by: string;
}

/** What the command handlers need from the plugin, per tenant. */
export interface Deps {
  cfg: LoyaltyConfig;
  ledger(tenant: string): Ledger;
  rewards(tenant: string): DocCollection<Reward>;
  held(tenant: string): DocCollection<HeldPoints>;
}

export const who = (c: Customer) => `${shortId('customer', c.id)} ${c.name}`;

/**
 * The ledger key of one operation a command writes: its inbound event's, so a run replayed after a crash finds
 * its entry already written (a duplicate) instead of writing a second; random when no event is behind it.
 */
export const operationKey = (ctx: Pick<CommandContext, 'sourceEventId'>, kind: string) => `${kind}:${ctx.sourceEventId ?? randomUUID()}`;

/** A customer named by `C-7`, exact name, or one of their chat identities (`web:carol`). */
export async function customerOf(ctx: CommandContext, ref: string): Promise<Customer> {
  if (!isIdentity(ref)) return resolveCustomer(ctx.store, ref);
  const link = await ctx.store.identities.get(ref);
  if (!link) throw new NotFoundError(`No one has written from ${ref} yet. Name the customer instead (name or C-id).`);
  if (link.customerId === null) throw new CommandError(`${ref} is not linked to a customer record. Name the customer instead (name or C-id).`);
  return resolveCustomer(ctx.store, shortId('customer', link.customerId));
}

/**
 * Whose points a read command is about: a customer always gets their own record (naming someone
 * else is refused); staff name a customer, or get told how to.
 */
export async function subject(ctx: CommandContext, ref: string | undefined, sub: string): Promise<Customer> {
  const own = ctx.actor.customerId;
  if (ctx.actor.role === 'customer') {
    if (own === null) throw new CommandError('You have no customer record yet, so no points. Ask the team to link your account.');
    const me = await resolveCustomer(ctx.store, shortId('customer', own));
    if (ref !== undefined && (await customerOf(ctx, ref).catch(() => null))?.id !== me.id) {
      throw new RoleError(`You can see only your own points: type /points ${sub === 'balance' ? '' : sub}`.trimEnd() + '.');
    }
    return me;
  }
  if (ref !== undefined) return customerOf(ctx, ref);
  if (own !== null) return resolveCustomer(ctx.store, shortId('customer', own));
  throw new CommandError(`You have no customer record of your own. Look a customer up with /points ${sub === 'balance' ? '' : `${sub} `}<customer> (name, C-id or identity like web:carol), or /customer find <text>.`);
}

export function entryLine(e: LedgerEntry): { label: string; value: string } {
  const where = e.account.slice(0, e.account.indexOf(':'));
  const why = [e.data.rule, e.data.reason, e.data.title].filter((x) => typeof x === 'string' && x).join(', ');
  const by = [typeof e.data.by === 'string' ? `by ${e.data.by}` : '', typeof e.data.approvedBy === 'string' ? `approved by ${e.data.approvedBy}` : ''].filter(Boolean).join(', ');
  return { label: `${e.at.slice(0, 10)} ${e.kind} ${e.delta > 0 ? '+' : ''}${e.delta} ${where}`, value: `${why ? `${why}; ` : ''}${by ? `${by}; ` : ''}key ${e.key}` };
}
