import { z } from 'zod';
import { command, sub } from '../commands/define.js';
import { safeName, words } from '../commands/args.js';
import { resolveCustomer } from '../commands/customer-ref.js';
import { CommandError } from '../commands/router.js';
import type { CommandContext } from '../commands/types.js';
import { parseShortId, shortId } from '../domain/ids.js';
import type { Deal } from '../domain/types.js';
import { pipelineReply } from './pipeline-reply.js';
import { recordWonPurchase } from './won-revenue.js';
import { AMOUNT_FORMS, formatMoney, isCurrency, parseAmount } from './amount.js';
import { dealButtons, dealLine, percent } from './format.js';

const STAFF = ['admin', 'manager', 'rep'] as const;

/** A `D-12` word as a deal id; anything else becomes an issue saying what to type. */
function dealRef(word: string, c: z.RefinementCtx): number {
  const id = parseShortId('deal', word);
  if (id === null) c.addIssue({ code: 'custom', message: `"${word}" is not a deal id (like D-12)` });
  return id ?? 0;
}

function isDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

function stageOf(ctx: CommandContext, stage: string) {
  const s = ctx.settings.stages.find((x) => x.id === stage.toLowerCase());
  if (!s) throw new CommandError(`Unknown stage "${stage}". Stages: ${ctx.settings.stages.map((x) => x.id).join(', ')}.`);
  return s;
}

async function ownDeal(ctx: CommandContext, id: number): Promise<Deal> {
  const d = await ctx.store.deals.get(id);
  if (!d) throw new CommandError(`No deal ${shortId('deal', id)}. See yours with /deal list.`);
  if (ctx.actor.role === 'rep' && d.owner !== ctx.actor.identity) {
    throw new CommandError(`${shortId('deal', id)} belongs to ${d.owner}; only its owner or a manager can change it.`);
  }
  if (d.closedAt) throw new CommandError(`${shortId('deal', id)} is already ${d.stage}; closed deals do not move.`);
  return d;
}

/** One path for every stage move, so won/lost and `/deal stage` emit the same events and history. */
async function move(ctx: CommandContext, d: Deal, stageId: string, lostReason: string | null) {
  const stage = stageOf(ctx, stageId);
  const closed = stage.id === 'won' || stage.id === 'lost';
  const moved = (await ctx.store.deals.moveStage(d.id, { stage: stage.id, at: ctx.now(), by: ctx.actor.identity, probability: stage.probability, closed, lostReason }))!;
  await ctx.bus.emit('deal.stage_changed', { tenant: ctx.tenant, deal: moved, from: d.stage });
  if (stage.id === 'won') {
    await recordWonPurchase(ctx.store, moved);
    await ctx.bus.emit('deal.won', { tenant: ctx.tenant, deal: moved });
  }
  if (stage.id === 'lost') await ctx.bus.emit('deal.lost', { tenant: ctx.tenant, deal: moved });
  const customer = await ctx.store.customers.get(moved.customerId);
  return {
    text: `${shortId('deal', moved.id)} moved from ${d.stage} to ${moved.stage}.${lostReason ? ` Reason: ${lostReason}.` : ''}`,
    fields: [{ label: 'Deal', value: dealLine(moved, customer?.name ?? '?') }],
    buttons: dealButtons(moved, ctx.settings.stages),
  };
}

const addArgs = words(2, 6, 'Say the customer and the amount, e.g. /deal add "Acme Corp" 12,000 EUR').transform((a, c) => {
  const [customer, ...rest] = a.words;
  const last = rest.at(-1) ?? '';
  const hasCurrency = /^[A-Za-z]{3}$/.test(last);
  const currency = hasCurrency ? last.toUpperCase() : null;
  if (currency && !isCurrency(currency)) c.addIssue({ code: 'custom', message: `"${last}" is not an ISO 4217 currency code (e.g. USD, EUR, CNY)` });
  const amountText = (hasCurrency ? rest.slice(0, -1) : rest).join(' ');
  const amount = parseAmount(amountText);
  if (!amount.ok) c.addIssue({ code: 'custom', message: amount.error });
  const name = safeName.safeParse(customer);
  if (!name.success) c.addIssue({ code: 'custom', message: `Customer: ${name.error.issues[0]!.message}` });
  const close = a.opts.close?.[0] ?? null;
  if (close !== null && !isDate(close)) c.addIssue({ code: 'custom', message: `close:${close} is not a date (write close:YYYY-MM-DD)` });
  const title = a.opts.title?.[0] ?? null;
  if (title !== null && !safeName.safeParse(title).success) c.addIssue({ code: 'custom', message: 'title: not a valid title' });
  return { customer: name.data ?? '', amountMinor: amount.ok ? amount.minor : 0, currency, stage: a.opts.stage?.[0] ?? null, close, title };
});

export const dealCommand = command({
  name: 'deal',
  summary: 'Deals: add, stage, won, lost, list, pipeline',
  subcommands: [
    sub({
      name: 'add', usage: '<customer> <amount> [currency] [stage:<stage>] [close:<YYYY-MM-DD>] [title:<t>]',
      summary: `Add a deal (amounts: ${AMOUNT_FORMS}); creates the customer if new`, roles: STAFF,
      options: ['stage', 'close', 'title'], args: addArgs,
      run: async (ctx, a) => {
        const stage = stageOf(ctx, a.stage ?? ctx.settings.stages[0]!.id);
        if (stage.id === 'won' || stage.id === 'lost') throw new CommandError(`A new deal starts open; add it, then /deal ${stage.id} it.`);
        let created = false;
        let customer;
        try {
          customer = await resolveCustomer(ctx.store, a.customer);
        } catch (e) {
          if (!(e instanceof CommandError) || !e.message.startsWith('No customer named') || parseShortId('customer', a.customer) !== null) throw e;
          customer = await ctx.store.customers.create({ name: a.customer, owner: ctx.actor.identity }, ctx.now());
          await ctx.bus.emit('customer.created', { tenant: ctx.tenant, customer });
          created = true;
        }
        const deal = await ctx.store.deals.create({
          customerId: customer.id, title: a.title ?? `${customer.name} deal`, amountMinor: a.amountMinor,
          currency: a.currency ?? ctx.settings.currency, stage: stage.id, probability: stage.probability,
          owner: ctx.actor.identity, expectedClose: a.close,
        }, ctx.actor.identity, ctx.now());
        await ctx.bus.emit('deal.created', { tenant: ctx.tenant, deal });
        return {
          text: `${created ? `New customer ${shortId('customer', customer.id)} ${customer.name} created. ` : ''}Deal ${shortId('deal', deal.id)} added.`,
          fields: [{ label: 'Deal', value: dealLine(deal, customer.name) }],
          buttons: dealButtons(deal, ctx.settings.stages),
        };
      },
    }),
    sub({
      name: 'stage', usage: '<id> <stage>', summary: 'Move a deal to a stage', roles: STAFF,
      args: words(2, 2, 'Say the deal id and the stage').transform((a, c) => ({ id: dealRef(a.words[0]!, c), stage: a.words[1]! })),
      run: async (ctx, a) => move(ctx, await ownDeal(ctx, a.id), a.stage, null),
    }),
    sub({
      name: 'won', usage: '<id>', summary: 'Mark a deal won', roles: STAFF,
      args: words(1, 1, 'Say which deal (D-id)').transform((a, c) => ({ id: dealRef(a.words[0]!, c) })),
      run: async (ctx, a) => move(ctx, await ownDeal(ctx, a.id), 'won', null),
    }),
    sub({
      name: 'lost', usage: '<id> [reason]', summary: 'Mark a deal lost, with the reason', roles: STAFF,
      args: words(1, 40, 'Say which deal (D-id)').transform((a, c) => ({ id: dealRef(a.words[0]!, c), reason: a.words.slice(1).join(' ').slice(0, 500) || null })),
      run: async (ctx, a) => move(ctx, await ownDeal(ctx, a.id), 'lost', a.reason),
    }),
    sub({
      name: 'list', usage: '[mine|all] [stage:<s>]', summary: 'List deals (yours by default)', roles: STAFF, options: ['stage'],
      args: words(0, 1, '').transform((a) => ({ scope: (a.words[0] ?? 'mine').toLowerCase(), stage: a.opts.stage?.[0] ?? null }))
        .pipe(z.object({ scope: z.enum(['mine', 'all'], { message: 'Say mine or all' }), stage: z.string().nullable() })),
      run: async (ctx, a) => {
        const stage = a.stage ? stageOf(ctx, a.stage).id : undefined;
        const deals = await ctx.store.deals.list({ owner: a.scope === 'mine' ? ctx.actor.identity : undefined, stage }, 50);
        if (!deals.length) return { text: `No deals${a.scope === 'mine' ? ' of yours' : ''}${stage ? ` in ${stage}` : ''}. Add one with /deal add <customer> <amount>.` };
        const names = new Map<number, string>();
        for (const d of deals) if (!names.has(d.customerId)) names.set(d.customerId, (await ctx.store.customers.get(d.customerId))?.name ?? '?');
        return {
          text: `${deals.length} deal${deals.length === 1 ? '' : 's'}${a.scope === 'mine' ? ' of yours' : ''}${stage ? ` in ${stage}` : ''}:`,
          fields: deals.map((d) => ({ label: shortId('deal', d.id), value: dealLine(d, names.get(d.customerId)!) })),
        };
      },
    }),
    sub({
      name: 'pipeline', usage: '[chart]', summary: 'Pipeline by stage, win rate, deal size, cycle and forecast; chart adds a picture', roles: STAFF,
      args: words(0, 1, '').transform((a) => ({ chart: (a.words[0] ?? '').toLowerCase() }))
        .pipe(z.object({ chart: z.enum(['', 'chart'], { message: 'Say /deal pipeline, or /deal pipeline chart for a picture' }) })),
      run: async (ctx, a) => pipelineReply(ctx, a.chart === 'chart'),
    }),
  ],
});
