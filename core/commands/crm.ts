import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { identitySchema, platformOf, shortId } from '../domain/ids.js';
import { ROLES } from '../domain/types.js';
import { command, sub } from './define.js';
import { noArgs, words } from './args.js';
import { resolveCustomer } from './customer-ref.js';
import { CommandError, helpReply } from './router.js';
import { formatMoney, parseAmount } from '../sales/amount.js';
import { sessionSubcommands } from './crm-session.js';
import { timezoneSubcommands } from './crm-timezone.js';

const EVERYONE = ROLES;
const LINK_TTL_MS = 10 * 60_000;

interface LinkCode {
  id: string;
  identity: string;
  expiresAt: string;
}

/** `/crm`: who am I, roles, linking identities, and the privacy rights (export, forget). */
export const crmCommand = command({
  name: 'crm',
  summary: 'The CRM itself: help, whoami, role, link, spend, export, forget',
  subcommands: [
    sub({
      name: 'help', usage: '', summary: 'Every command and how to use it', roles: EVERYONE, args: noArgs,
      run: async (ctx) => [
        {
          text: 'Commands (type /<command> help for details):',
          fields: ctx.registry.list().map((c) => ({ label: `/${c.name}`, value: c.summary })),
        },
        ...ctx.registry.list().filter((c) => c.name === 'crm').map(helpReply),
      ],
    }),
    sub({
      name: 'whoami', usage: '', summary: 'Your identity, role and customer record', roles: EVERYONE, args: noArgs,
      run: async (ctx) => ({
        text: `You are ${ctx.actor.displayName} (${ctx.actor.identity}) in tenant ${ctx.tenant}.`,
        fields: [
          { label: 'Role', value: ctx.actor.role },
          { label: 'Customer', value: ctx.actor.customerId ? shortId('customer', ctx.actor.customerId) : 'none' },
        ],
      }),
    }),
    sub({
      name: 'role', usage: '<identity> <admin|manager|rep|customer>', summary: 'Set the role of an identity', roles: ['admin'],
      args: words(2, 2, 'Say whose role and which one').transform((a, c) => {
        const id = identitySchema.safeParse(a.words[0]);
        const role = z.enum(ROLES).safeParse(a.words[1]?.toLowerCase());
        if (!id.success) c.addIssue({ code: 'custom', message: `"${a.words[0]}" is not an identity (slack:T1:U1, discord:<id>, telegram:<id>, web:<name>)` });
        if (!role.success) c.addIssue({ code: 'custom', message: `"${a.words[1]}" is not a role (${ROLES.join(', ')})` });
        return { identity: id.data!, role: role.data! };
      }),
      run: async (ctx, a) => {
        const existing = await ctx.store.identities.get(a.identity);
        if (!existing) {
          await ctx.store.identities.touch({ identity: a.identity, platform: platformOf(a.identity), displayName: a.identity, role: a.role, customerId: null, locale: null }, ctx.now());
        }
        await ctx.store.identities.setRole(a.identity, a.role);
        return { text: `${a.identity} is now ${a.role}.` };
      },
    }),
    sub({
      name: 'link', usage: '[code]', summary: 'Join two of your identities: get a code here, type it on the other platform', roles: EVERYONE,
      args: words(0, 1, '').transform((a) => ({ code: a.words[0] ?? null })),
      run: async (ctx, a) => {
        const codes = ctx.store.docs<LinkCode>('core', 'link_codes');
        if (!a.code) {
          const id = String(randomInt(100000, 999999));
          await codes.put({ id, identity: ctx.actor.identity, expiresAt: new Date(Date.parse(ctx.now()) + LINK_TTL_MS).toISOString() });
          return { text: `Your link code is ${id}. Within 10 minutes, type /crm link ${id} from your other account.` };
        }
        const code = await codes.get(a.code);
        if (!code || code.expiresAt < ctx.now() || code.identity === ctx.actor.identity) {
          return { text: 'That code is unknown, expired or your own. Get a new one with /crm link on the other account.' };
        }
        await codes.delete(code.id);
        const other = await ctx.store.identities.get(code.identity);
        const mine = ctx.actor.customerId;
        const theirs = other?.customerId ?? null;
        if (theirs !== null && mine !== null && theirs !== mine) {
          const m = await ctx.store.customers.merge(mine, theirs, ctx.actor.identity, ctx.now());
          return { text: `Linked: ${ctx.actor.identity} and ${code.identity} are now one customer, ${shortId('customer', theirs)} (merge #${m.id}, reversible).` };
        }
        if (theirs !== null && mine === null) await ctx.store.identities.attach(ctx.actor.identity, theirs);
        if (mine !== null && theirs === null) await ctx.store.identities.attach(code.identity, mine);
        const customer = theirs ?? mine;
        return { text: `Linked ${ctx.actor.identity} with ${code.identity}${customer ? ` as ${shortId('customer', customer)}` : ''}.` };
      },
    }),
    sub({
      name: 'spend', usage: '<amount> <YYYY-MM>', summary: 'Record acquisition spend for a month (feeds CAC)', roles: ['admin', 'manager'],
      args: words(2, 3, 'Say the amount and the month, e.g. /crm spend 5k 2026-06').transform((a, c) => {
        const month = a.words.at(-1)!;
        const amount = parseAmount(a.words.slice(0, -1).join(' '));
        if (!amount.ok) c.addIssue({ code: 'custom', message: amount.error });
        if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) c.addIssue({ code: 'custom', message: `"${month}" is not a month (write YYYY-MM)` });
        return { minor: amount.ok ? amount.minor : 0, month };
      }),
      run: async (ctx, a) => {
        await ctx.store.spend.record(a.month, a.minor, ctx.settings.currency, ctx.actor.identity, ctx.now());
        return { text: `Recorded ${formatMoney(a.minor, ctx.settings.currency)} of acquisition spend for ${a.month}.` };
      },
    }),
    sub({
      name: 'export', usage: '<customer>', summary: 'Everything we hold on a person, as JSON', roles: ['admin', 'manager', 'customer'],
      args: words(1, 1, 'Say which customer (name or C-id)').transform((a) => ({ ref: a.words[0]! })),
      run: async (ctx, a) => {
        const c = ctx.actor.role === 'customer' ? await ownRecord(ctx.store, ctx.actor.customerId, a.ref) : await resolveCustomer(ctx.store, a.ref);
        const data = {
          customer: c,
          identities: await ctx.store.identities.listForCustomer(c.id),
          interactions: await ctx.store.interactions.listForCustomer(c.id, 100_000),
          deals: await ctx.store.deals.list({ customerId: c.id }, 100_000),
          cases: (await ctx.store.cases.listOpen(c.id)),
          plugins: await ctx.privacy.export(ctx.tenant, c.id),
        };
        return { text: `Export of ${shortId('customer', c.id)}:\n${JSON.stringify(data, null, 2)}` };
      },
    }),
    sub({
      name: 'forget', usage: '<customer>', summary: 'Erase a person everywhere (plugins included)', roles: ['admin'],
      args: words(1, 1, 'Say which customer (name or C-id)').transform((a) => ({ ref: a.words[0]! })),
      run: async (ctx, a) => {
        const c = await resolveCustomer(ctx.store, a.ref);
        await ctx.privacy.erase(ctx.tenant, c.id);
        await ctx.store.customers.anonymise(c.id, ctx.now());
        return { text: `${shortId('customer', c.id)} was erased: name, contacts, message texts and identities removed; plugins erased their data.` };
      },
    }),
    ...sessionSubcommands,
    ...timezoneSubcommands,
  ],
});

/** A customer may export only their own record. */
async function ownRecord(store: Parameters<typeof resolveCustomer>[0], own: number | null, ref: string) {
  const c = await resolveCustomer(store, ref);
  if (own === null || c.id !== own) throw new CommandError(`You can export only your own record${own ? `: /crm export ${shortId('customer', own)}` : ''}.`);
  return c;
}
