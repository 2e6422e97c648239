import { command, sub } from '../commands/define.js';
import { words } from '../commands/args.js';
import { resolveCustomer } from '../commands/customer-ref.js';
import { CommandError } from '../commands/router.js';
import { shortId } from '../domain/ids.js';
import type { InteractionType } from '../domain/types.js';
import { AMOUNT_FORMS, formatMoney, parseAmount } from './amount.js';

const STAFF = ['admin', 'manager', 'rep'] as const;
const COMPLAINT_DUE_DAYS = 2;
const TYPES = ['call', 'meeting', 'email', 'note', 'complaint', 'purchase'] as const satisfies readonly InteractionType[];

/** One subcommand per activity type, all with the same grammar: <customer> <text> [amount]. */
export const logCommand = command({
  name: 'log',
  summary: 'Log an activity: call, meeting, email, note, complaint (opens a case), purchase (with amount)',
  subcommands: TYPES.map((type) =>
    sub({
      name: type,
      usage: type === 'purchase' ? '<customer> <text> <amount>' : '<customer> <text>',
      summary: type === 'complaint' ? 'Log a complaint and open a case' : type === 'purchase' ? `Log a purchase (amounts: ${AMOUNT_FORMS})` : `Log a ${type}`,
      roles: STAFF,
      args: words(type === 'purchase' ? 2 : 2, 200, type === 'purchase' ? 'Say the customer, what was bought and the amount' : 'Say the customer and what happened').transform((a, c) => {
        const [customer, ...rest] = a.words;
        let amountMinor: number | null = null;
        let text = rest.join(' ');
        if (type === 'purchase') {
          const amount = parseAmount(rest.at(-1) ?? '');
          if (!amount.ok) c.addIssue({ code: 'custom', message: `A purchase ends with its amount: ${amount.error}` });
          amountMinor = amount.ok ? amount.minor : 0;
          text = rest.slice(0, -1).join(' ');
        }
        if (text.length > 2000) c.addIssue({ code: 'custom', message: 'The text is longer than 2000 characters' });
        return { customer: customer!, text, amountMinor };
      }),
      run: async (ctx, a) => {
        const customer = await resolveCustomer(ctx.store, a.customer);
        if (type === 'purchase' && a.amountMinor === 0) throw new CommandError('A purchase needs an amount above zero.');
        const now = ctx.now();
        const currency = type === 'purchase' ? ctx.settings.currency : null;
        const { interaction } = await ctx.store.interactions.add({
          customerId: customer.id, identity: ctx.actor.identity, type, channel: `${ctx.platform}:${ctx.channel}`, direction: 'out',
          text: a.text, amountMinor: a.amountMinor, currency, occurredAt: now, sourceEventId: null,
        });
        await ctx.bus.emit('interaction.recorded', { tenant: ctx.tenant, interaction, by: ctx.actor.identity });
        const open = { id: 'customer.show', label: 'Open customer', value: shortId('customer', customer.id) };
        if (type === 'complaint') {
          const due = new Date(Date.parse(now) + COMPLAINT_DUE_DAYS * 86_400_000).toISOString();
          const kase = await ctx.store.cases.open({ customerId: customer.id, kind: 'complaint', owner: customer.owner ?? ctx.actor.identity, summary: a.text.slice(0, 200), dueAt: due }, now);
          await ctx.bus.emit('case.opened', { tenant: ctx.tenant, case: kase });
          return { text: `Complaint logged for ${customer.name}; case ${shortId('case', kase.id)} opened for ${kase.owner}, due ${due.slice(0, 10)}.`, buttons: [open] };
        }
        const amount = a.amountMinor !== null ? ` (${formatMoney(a.amountMinor, currency!)})` : '';
        return { text: `Logged a ${type} with ${shortId('customer', customer.id)} ${customer.name}${amount}.`, buttons: [open] };
      },
    }),
  ),
});
