import { z } from 'zod';
import { draft } from '../events/bus.js';
import { command, sub } from '../commands/define.js';
import { safeName, words } from '../commands/args.js';
import { resolveCustomer } from '../commands/customer-ref.js';
import { ConflictError, RoleError } from '../commands/router.js';
import { identitySchema, shortId } from '../domain/ids.js';
import type { Customer } from '../domain/types.js';
import { customerCard } from './card.js';
import { countOf } from './count.js';
import { resolveSubcommand } from './cases.js';

const STAFF = ['admin', 'manager', 'rep'] as const;
const email = z.email({ message: 'is not an e-mail address' });
const phone = z.string().regex(/^\+?[0-9][0-9 ()./-]{4,24}$/, 'is not a phone number (digits, spaces, + - ( ) .)');
const tag = z.string().regex(/^[\p{L}\p{N}_-]{1,32}$/u, 'tags are one word of letters, digits, _ or - (max 32)');

function describeCustomer(c: Customer): string {
  return `${shortId('customer', c.id)} ${c.name}${c.company ? ` (${c.company})` : ''}`;
}

export const customerCommand = command({
  name: 'customer',
  summary: 'Customers: add, show (the 360 card), find, tag, owner',
  subcommands: [
    sub({
      name: 'add', usage: '<name> [email:<e>] [phone:<p>] [company:<c>] [tag:<t>]...', summary: 'Add a customer', roles: STAFF,
      options: ['email', 'phone', 'company', 'tag'],
      args: words(1, 1, 'Say the customer name (in "quotes" if it has spaces)').transform((a, c) => {
        const out = {
          name: safeName.safeParse(a.words[0]),
          emails: (a.opts.email ?? []).map((e) => email.safeParse(e)),
          phones: (a.opts.phone ?? []).map((p) => phone.safeParse(p)),
          tags: (a.opts.tag ?? []).map((t) => tag.safeParse(t)),
          company: a.opts.company?.[0] === undefined ? undefined : safeName.safeParse(a.opts.company[0]),
        };
        if (!out.name.success) c.addIssue({ code: 'custom', message: `Name: ${out.name.error.issues[0]!.message}` });
        for (const [label, list, raw] of [['email', out.emails, a.opts.email], ['phone', out.phones, a.opts.phone], ['tag', out.tags, a.opts.tag]] as const) {
          list.forEach((r, i) => { if (!r.success) c.addIssue({ code: 'custom', message: `${label} "${raw![i]}" ${r.error.issues[0]!.message}` }); });
        }
        if (out.company && !out.company.success) c.addIssue({ code: 'custom', message: 'company: not a valid name' });
        return {
          name: out.name.data!, emails: out.emails.map((e) => e.data!), phones: out.phones.map((p) => p.data!),
          tags: out.tags.map((t) => t.data!.toLowerCase()), company: out.company?.data ?? null,
        };
      }),
      run: async (ctx, a) => {
        // A replay of this very event (its process died after the write) finds the customer it added, which is no duplicate.
        const mine = ctx.sourceEventId ? await ctx.store.customers.createdBy(ctx.sourceEventId) : null;
        const same = (await ctx.store.customers.findByName(a.name)).filter((c) => (c.company ?? null) === a.company && c.id !== mine?.id);
        if (same.length) throw new ConflictError(`${describeCustomer(same[0]!)} already exists. Use its id, or add a company:<name> to tell them apart.`);
        const tx = ctx.bus.batch();
        const c = await ctx.store.customers.create({ ...a, owner: ctx.actor.identity, sourceEventId: ctx.sourceEventId },
          ctx.now(), tx.events((customer) => [draft('customer.created', { tenant: ctx.tenant, customer })]));
        await tx.published();
        return { text: `Added ${describeCustomer(c)}, owned by you.`, buttons: [{ id: 'customer.show', label: 'Open customer', value: shortId('customer', c.id) }] };
      },
    }),
    sub({
      name: 'show', usage: '<name|id>', summary: 'The customer 360 card', roles: STAFF,
      // One argument, so an unquoted name is unambiguous: /customer show acme corp.
      args: words(1, 20, 'Say which customer (name or C-id)').transform((a) => ({ ref: a.words.join(' ') })),
      run: async (ctx, a) => {
        const c = await resolveCustomer(ctx.store, a.ref);
        return customerCard(ctx, c, await ctx.cardSections(c.id));
      },
    }),
    sub({
      name: 'find', usage: '<text>', summary: 'Search names, companies and e-mails', roles: STAFF,
      args: words(1, 20, 'Say what to look for').transform((a) => ({ text: a.words.join(' ') })),
      run: async (ctx, a) => {
        const found = await ctx.store.customers.search(a.text, 20);
        if (!found.length) return { text: `No customer matches "${a.text}".` };
        return { text: `${countOf(found.length, { one: 'match', other: 'matches' }, ctx.settings.locale)}:`, fields: found.map((c) => ({ label: shortId('customer', c.id), value: `${c.name}${c.company ? ` (${c.company})` : ''}` })) };
      },
    }),
    sub({
      name: 'tag', usage: '<name|id> <tag>', summary: 'Tag a customer', roles: STAFF,
      args: words(2, 21, 'Say the customer and the tag').transform((a, c) => {
        const t = tag.safeParse(a.words.at(-1));
        if (!t.success) c.addIssue({ code: 'custom', message: t.error.issues[0]!.message });
        return { ref: a.words.slice(0, -1).join(' '), tag: t.data?.toLowerCase() ?? '' };
      }),
      run: async (ctx, a) => {
        const c = await resolveCustomer(ctx.store, a.ref);
        if (c.tags.includes(a.tag)) return { text: `${describeCustomer(c)} is already tagged ${a.tag}.` };
        await ctx.store.customers.update(c.id, { tags: [...c.tags, a.tag] }, ctx.now());
        return { text: `Tagged ${describeCustomer(c)} with ${a.tag}.` };
      },
    }),
    sub({
      name: 'owner', usage: '<name|id> <identity>', summary: 'Assign the owner (managers; reps may take unowned customers)', roles: STAFF,
      args: words(2, 21, 'Say the customer and the new owner identity').transform((a, c) => {
        const id = identitySchema.safeParse(a.words.at(-1));
        if (!id.success) c.addIssue({ code: 'custom', message: `"${a.words.at(-1)}" is not an identity (slack:T1:U1, discord:<id>, telegram:<id>, web:<name>)` });
        return { ref: a.words.slice(0, -1).join(' '), owner: id.data ?? '' };
      }),
      run: async (ctx, a) => {
        const c = await resolveCustomer(ctx.store, a.ref);
        const manager = ctx.actor.role === 'admin' || ctx.actor.role === 'manager';
        if (!manager && !(c.owner === null && a.owner === ctx.actor.identity)) {
          throw new RoleError(`Only a manager can reassign ${describeCustomer(c)}; a rep may take an unowned customer for themselves.`);
        }
        await ctx.store.customers.update(c.id, { owner: a.owner }, ctx.now());
        return { text: `${describeCustomer(c)} is now owned by ${a.owner}.` };
      },
    }),
    resolveSubcommand,
  ],
});
