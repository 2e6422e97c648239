import { command, sub } from '../commands/define.js';
import { words } from '../commands/args.js';
import { CommandError, NotFoundError } from '../commands/router.js';
import { draft } from '../events/bus.js';
import { shortId } from '../domain/ids.js';
import type { InteractionType } from '../domain/types.js';
import type { CommandContext } from '../commands/types.js';
import { AMOUNT_FORMS, formatMoney, pickAmount } from './amount.js';
import { leadingCustomer } from './leading-customer.js';
import { didYouMean, quoteWord, similarCustomers } from './similar-customer.js';

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
      usage: type === 'purchase' ? '<customer> <text> <amount> [currency]' : '<customer> <text>',
      summary: type === 'complaint' ? 'Log a complaint and open a case' : type === 'purchase' ? `Log a purchase (amounts: ${AMOUNT_FORMS})` : `Log a ${type}`,
      roles: STAFF,
      args: words(2, 200, type === 'purchase' ? 'Say the customer, what was bought and the amount' : 'Say the customer and what happened').transform((a, c) => {
        let rest = a.words;
        let amountMinor: number | null = null;
        let currency: string | null = null;
        if (type === 'purchase') {
          // The amount and its currency may stand anywhere: "/log purchase acme 1200 EUR annual licence".
          const picked = pickAmount(a.words.slice(1));
          if (!picked.ok) c.addIssue({ code: 'custom', message: `A purchase needs its amount: ${picked.error}` });
          else {
            rest = [a.words[0]!, ...picked.rest];
            amountMinor = picked.minor;
            currency = picked.currency;
          }
        }
        if (rest.join(' ').length > 2000) c.addIssue({ code: 'custom', message: 'The text is longer than 2000 characters' });
        return { words: rest, amountMinor, currency };
      }),
      run: async (ctx, a) => {
        // Unquoted names: the longest run of leading words naming a customer; a note needs one word left.
        const found = await leadingCustomer(ctx.store, a.words, type === 'purchase' ? a.words.length : a.words.length - 1);
        if (!found) throw await unknownCustomer(ctx, type, a.words);
        const { customer } = found;
        const text = a.words.slice(found.used).join(' ');
        if (type === 'purchase' && a.amountMinor === 0) throw new CommandError('A purchase needs an amount above zero.');
        const now = ctx.now();
        const currency = type === 'purchase' ? a.currency ?? ctx.settings.currency : null;
        const tx = ctx.bus.batch();
        await ctx.store.interactions.add({
          customerId: customer.id, identity: ctx.actor.identity, type, channel: `${ctx.platform}:${ctx.channel}`, direction: 'out',
          text, amountMinor: a.amountMinor, currency, occurredAt: now, sourceEventId: ctx.sourceEventId ?? null,
        }, tx.events(({ interaction }) => [draft('interaction.recorded', { tenant: ctx.tenant, interaction, by: ctx.actor.identity })]));
        await tx.published();
        const open = { id: 'customer.show', label: 'Open customer', value: shortId('customer', customer.id) };
        if (type === 'complaint') {
          const due = new Date(Date.parse(now) + COMPLAINT_DUE_DAYS * 86_400_000).toISOString();
          const kase = await ctx.store.cases.open({ customerId: customer.id, kind: 'complaint', owner: customer.owner ?? ctx.actor.identity, summary: text.slice(0, 200), dueAt: due, sourceEventId: ctx.sourceEventId }, now,
            tx.events((opened) => [draft('case.opened', { tenant: ctx.tenant, case: opened })]));
          await tx.published();
          return { text: `Complaint logged for ${customer.name}; case ${shortId('case', kase.id)} opened for ${kase.owner}, due ${due.slice(0, 10)}.`, buttons: [open] };
        }
        const amount = a.amountMinor !== null ? ` (${formatMoney(a.amountMinor, currency!)})` : '';
        return { text: `Logged a ${type} with ${shortId('customer', customer.id)} ${customer.name}${amount}.`, buttons: [open] };
      },
    }),
  ),
});

/** No leading words name a customer: offer the close names (buttons re-run the log), else say how to add one. */
async function unknownCustomer(ctx: CommandContext, type: string, words: string[]): Promise<CommandError> {
  // An unquoted typo may span a few words ("acme crop"): the longest run with close names wins.
  for (let n = Math.min(3, words.length - 1); n >= 1; n--) {
    const name = words.slice(0, n).join(' ');
    const close = await similarCustomers(ctx.store, name);
    if (close.length) return didYouMean(name, close, { id: `log.${type}`, args: (ref) => [ref, ...words.slice(n).map(quoteWord)].join(' ') });
  }
  const first = words[0]!;
  return new NotFoundError(`No customer named "${first}". Add one with /customer add ${quoteWord(first)}, or search with /customer find. Names with spaces go in "quotes".`);
}
