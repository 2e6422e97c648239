import { z } from 'zod';
import { identitySchema, isIdentity, shortId } from '../domain/ids.js';
import { ROLES } from '../domain/types.js';
import { command, sub } from './define.js';
import { noArgs, words } from './args.js';
import { resolveCustomer } from './customer-ref.js';
import { allowedSubcommands, RoleError, helpReply } from './router.js';
import { exportPerson, forgetPerson } from './forget.js';
import { answerRequest, issueCode, linkToCustomer, redeemCode } from './link.js';
import { listRoles, setGrant } from './role-grants.js';
import { formatMoney, parseAmount } from '../sales/amount.js';
import { sessionSubcommands } from './crm-session.js';
import { timezoneSubcommands } from './crm-timezone.js';
import { eventsSubcommands } from './crm-events.js';

const EVERYONE = ROLES;

/** `/crm`: who am I, roles, linking identities, and the privacy rights (export, forget). */
export const crmCommand = command({
  name: 'crm',
  summary: 'The CRM itself: help, whoami, role, roles, link, spend, export, forget',
  subcommands: [
    sub({
      name: 'help', usage: '', summary: 'Every command and how to use it', roles: EVERYONE, args: noArgs,
      // Only what this person may run: a customer is not shown staff commands they would be refused.
      run: async (ctx) => {
        const mine = ctx.registry.list().filter((c) => allowedSubcommands(c, ctx.actor.role).length > 0);
        return [
          {
            text: `Commands (type /<command> help for details) you may run as ${ctx.actor.role}:`,
            fields: mine.map((c) => ({ label: `/${c.name}`, value: c.summary })),
          },
          ...mine.filter((c) => c.name === 'crm').map((c) => helpReply(c, ctx.actor.role)),
        ];
      },
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
      name: 'role', usage: '<identity> <admin|manager|rep|customer|revoke>', summary: 'Grant a role (stored with who and when), or revoke a granted one', roles: ['admin'],
      args: words(2, 2, 'Say whose role and which one (or revoke)').transform((a, c) => {
        const id = identitySchema.safeParse(a.words[0]);
        const role = z.enum([...ROLES, 'revoke']).safeParse(a.words[1]?.toLowerCase());
        if (!id.success) c.addIssue({ code: 'custom', message: `"${a.words[0]}" is not an identity (slack:T1:U1, discord:<id>, telegram:<id>, web:<name>)` });
        if (!role.success) c.addIssue({ code: 'custom', message: `"${a.words[1]}" is not a role (${ROLES.join(', ')}) or revoke` });
        return { identity: id.data!, role: role.data! };
      }),
      run: async (ctx, a) => setGrant(ctx, a.identity, a.role),
    }),
    sub({
      name: 'roles', usage: '', summary: 'Every configured and granted role, who granted it and when', roles: ['admin', 'manager'], args: noArgs,
      run: async (ctx) => listRoles(ctx),
    }),
    sub({
      name: 'link', usage: '[code] | <identity> <customer>',
      summary: 'Join two of your identities (get a code here, type it on the other account, confirm here); staff: put an identity on a customer record',
      roles: EVERYONE,
      args: words(0, 2, '', 'Say a code, or an identity and a customer').transform((a, c) => {
        const [first, second] = a.words;
        if (second === undefined) return { kind: first === undefined ? 'issue' as const : 'code' as const, first: first ?? '', second: '' };
        if (first === 'confirm' || first === 'refuse') return { kind: first, first, second };
        if (!isIdentity(first!)) c.addIssue({ code: 'custom', message: `"${first}" is not an identity (slack:T1:U1, discord:<id>, telegram:<id>, web:<name>)` });
        return { kind: 'staff' as const, first: first!, second };
      }),
      run: async (ctx, a) => {
        if (a.kind === 'issue') return issueCode(ctx);
        if (a.kind === 'code') return redeemCode(ctx, a.first);
        if (a.kind === 'confirm' || a.kind === 'refuse') return answerRequest(ctx, a.kind, a.second);
        if (ctx.actor.role === 'customer') throw new RoleError('Only staff link an identity to a customer record. To join your own accounts, type /crm link.');
        return linkToCustomer(ctx, a.first, a.second);
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
        return { text: `Export of ${shortId('customer', c.id)}:\n${JSON.stringify(await exportPerson(ctx, c), null, 2)}` };
      },
    }),
    sub({
      name: 'forget', usage: '<customer>', summary: 'Erase a person everywhere (plugins included)', roles: ['admin'],
      args: words(1, 1, 'Say which customer (name or C-id)').transform((a) => ({ ref: a.words[0]! })),
      run: async (ctx, a) => {
        const c = await resolveCustomer(ctx.store, a.ref);
        const n = await forgetPerson(ctx, c);
        return { text: `${shortId('customer', c.id)} was erased: name, contacts, message texts, deal titles and reasons, ${n.identities} ${n.identities === 1 ? 'identity' : 'identities'}, messages to them, link codes and ${n.records - 1} merged record(s) removed; plugins erased their data.` };
      },
    }),
    ...sessionSubcommands,
    ...timezoneSubcommands,
    ...eventsSubcommands,
  ],
});

/** A customer may export only their own record. */
async function ownRecord(store: Parameters<typeof resolveCustomer>[0], own: number | null, ref: string) {
  const c = await resolveCustomer(store, ref);
  if (own === null || c.id !== own) throw new RoleError(`You can export only your own record${own ? `: /crm export ${shortId('customer', own)}` : ''}.`);
  return c;
}
