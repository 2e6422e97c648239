import { z } from 'zod';
import { draft } from '../events/bus.js';
import { command, sub } from '../commands/define.js';
import { safeName, words } from '../commands/args.js';
import { resolveCustomer } from '../commands/customer-ref.js';
import { CommandError, ConflictError, NotFoundError, RoleError } from '../commands/router.js';
import type { CommandContext } from '../commands/types.js';
import { parseShortId, shortId } from '../domain/ids.js';
import type { Deal } from '../domain/types.js';
import { pipelineReply } from './pipeline-reply.js';
import { reopenDeal } from './deal-reopen.js';
import { movedBy, replayedMove } from './replayed-move.js';
import { recordWonPurchase } from './won-revenue.js';
import { AMOUNT_FORMS, formatMoney, isCurrency, parseAmount } from './amount.js';
import { dealButtons, dealLine, percent } from './format.js';
import { commandButton } from '../chat/reply.js';
import { countOf } from './count.js';
import { DEALS_PER_PAGE, dealListPage } from './deal-list.js';
import { didYouMean, quoteWord, similarCustomers } from './similar-customer.js';

const STAFF = ['admin', 'manager', 'rep'] as const;
/** Enough for any one person's book; the list pages through it 20 at a time. */
const LIST_LIMIT = 1000;

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

/** A deal the caller may change: a rep their own, managers and admins any. */
async function ownedDeal(ctx: CommandContext, id: number): Promise<Deal> {
  const d = await ctx.store.deals.get(id);
  if (!d) throw new NotFoundError(`No deal ${shortId('deal', id)}. See yours with /deal list.`);
  if (ctx.actor.role === 'rep' && d.owner !== ctx.actor.identity) {
    throw new RoleError(`${shortId('deal', id)} belongs to ${d.owner}; only its owner or a manager can change it.`);
  }
  return d;
}

/** An open deal the caller may move; a closed one only when this event closed it (a replay). */
async function ownDeal(ctx: CommandContext, id: number): Promise<Deal> {
  const d = await ownedDeal(ctx, id);
  if (d.closedAt && !replayedMove(ctx, d)) throw new ConflictError(`${shortId('deal', id)} is already ${d.stage}; closed deals do not move (reopen one with /deal reopen ${shortId('deal', id)}).`);
  return d;
}

/** One path for every stage move, so won/lost and `/deal stage` emit the same events and history. */
async function move(ctx: CommandContext, d: Deal, stageId: string, lostReason: string | null) {
  const stage = stageOf(ctx, stageId);
  const closed = stage.id === 'won' || stage.id === 'lost';
  const again = replayedMove(ctx, d);
  const from = again?.from ?? d.stage;
  const tx = ctx.bus.batch();
  const change = { stage: stage.id, ...movedBy(ctx), probability: stage.probability, closed, lostReason };
  const moved = again ? d : (await ctx.store.deals.moveStage(d.id, change, tx.events((deal) => [
    draft('deal.stage_changed', { tenant: ctx.tenant, deal, from: d.stage }),
    ...(stage.id === 'won' ? [draft('deal.won', { tenant: ctx.tenant, deal })] : stage.id === 'lost' ? [draft('deal.lost', { tenant: ctx.tenant, deal })] : []),
  ])))!;
  // Keyed by the deal, so a replay that died between the move and this records it now, and once.
  if (stage.id === 'won') await recordWonPurchase(ctx.store, moved);
  await tx.published();
  const customer = await ctx.store.customers.get(moved.customerId);
  return {
    text: `${shortId('deal', moved.id)} moved from ${from} to ${moved.stage}.${lostReason ? ` Reason: ${lostReason}.` : ''}`,
    fields: [{ label: 'Deal', value: dealLine(moved, customer?.name ?? '?') }],
    buttons: dealButtons(moved, ctx.settings.stages),
  };
}

const addArgs = words(2, 26, 'Say the customer and the amount, e.g. /deal add "Acme Corp" 12,000 EUR').transform((a, c) => {
  // Unquoted names: the name runs up to the first word that starts like a number (/deal add acme corp 12k).
  const numberAt = a.words.findIndex((w, i) => i > 0 && /^[-.]?\d/.test(w));
  const split = numberAt < 0 ? 1 : numberAt;
  const customer = a.words.slice(0, split).join(' ');
  const rest = a.words.slice(split);
  if (rest.length > 5) c.addIssue({ code: 'custom', message: 'Too many words after the amount (put titles in title:"quotes")' });
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
  const createNew = a.opts.new?.[0]?.toLowerCase() === 'yes';
  return { customer: name.data ?? '', amountText, amountMinor: amount.ok ? amount.minor : 0, currency, stage: a.opts.stage?.[0] ?? null, close, title, createNew };
});

/** The same `/deal add` with another customer reference, for the "Did you mean" buttons. */
function addArgsText(ref: string, a: z.output<typeof addArgs>): string {
  const opts = [a.stage && `stage:${a.stage}`, a.close && `close:${a.close}`, a.title && `title:${quoteWord(a.title)}`].filter(Boolean);
  return [quoteWord(ref), a.amountText, a.currency, ...opts].filter(Boolean).join(' ');
}

export const dealCommand = command({
  name: 'deal',
  summary: 'Deals: add, stage, won, lost, reopen, list, pipeline',
  subcommands: [
    sub({
      name: 'add', usage: '<customer> <amount> [currency] [stage:<stage>] [close:<YYYY-MM-DD>] [title:<t>] [new:yes]',
      summary: `Add a deal (amounts: ${AMOUNT_FORMS}); creates the customer if new`, roles: STAFF,
      options: ['stage', 'close', 'title', 'new'], args: addArgs,
      run: async (ctx, a) => {
        const stage = stageOf(ctx, a.stage ?? ctx.settings.stages[0]!.id);
        if (stage.id === 'won' || stage.id === 'lost') throw new CommandError(`A new deal starts open; add it, then /deal ${stage.id} it.`);
        let created = false;
        let customer;
        const tx = ctx.bus.batch();
        try {
          customer = await resolveCustomer(ctx.store, a.customer);
          // A replay of this very event (its process died after the write) finds by name the customer it created.
          created = ctx.sourceEventId ? (await ctx.store.customers.createdBy(ctx.sourceEventId))?.id === customer.id : false;
        } catch (e) {
          if (!(e instanceof CommandError) || !e.message.startsWith('No customer named') || parseShortId('customer', a.customer) !== null) throw e;
          const close = a.createNew ? [] : await similarCustomers(ctx.store, a.customer);
          if (close.length) throw didYouMean(a.customer, close, { id: 'deal.add', args: (ref) => addArgsText(ref, a), create: `${addArgsText(a.customer, a)} new:yes` });
          customer = await ctx.store.customers.create({ name: a.customer, owner: ctx.actor.identity, sourceEventId: ctx.sourceEventId },
            ctx.now(), tx.events((c) => [draft('customer.created', { tenant: ctx.tenant, customer: c })]));
          created = true;
        }
        const deal = await ctx.store.deals.create({
          customerId: customer.id, title: a.title ?? `${customer.name} deal`, amountMinor: a.amountMinor,
          currency: a.currency ?? ctx.settings.currency, stage: stage.id, probability: stage.probability,
          owner: ctx.actor.identity, expectedClose: a.close, sourceEventId: ctx.sourceEventId,
        }, ctx.actor.identity, ctx.now(), tx.events((deal) => [draft('deal.created', { tenant: ctx.tenant, deal })]));
        await tx.published();
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
      name: 'reopen', usage: '<id> [stage]', summary: 'Reopen a won or lost deal (into the last open stage it was in, or the one you name)', roles: STAFF,
      args: words(1, 2, 'Say which deal (D-id), and the stage if not its last open one').transform((a, c) => ({ id: dealRef(a.words[0]!, c), stage: a.words[1] ?? null })),
      run: async (ctx, a) => reopenDeal(ctx, await ownedDeal(ctx, a.id), a.stage),
    }),
    sub({
      name: 'list', usage: '[mine|all] [stage:<s>] [page:<n>]', summary: 'Deals (yours by default): open ones by stage first, then won and lost', roles: STAFF,
      options: ['stage', 'page'],
      args: words(0, 1, '').transform((a) => ({ scope: (a.words[0] ?? 'mine').toLowerCase(), stage: a.opts.stage?.[0] ?? null, page: a.opts.page?.[0] ?? '1' }))
        .pipe(z.object({
          scope: z.enum(['mine', 'all'], { message: 'Say mine or all' }),
          stage: z.string().nullable(),
          page: z.string().regex(/^[1-9]\d{0,5}$/, 'page: is a page number, e.g. page:2').transform(Number),
        })),
      run: async (ctx, a) => {
        const stage = a.stage ? stageOf(ctx, a.stage).id : undefined;
        const whose = a.scope === 'mine' ? ' of yours' : '';
        const deals = await ctx.store.deals.list({ owner: a.scope === 'mine' ? ctx.actor.identity : undefined, stage }, LIST_LIMIT);
        if (!deals.length) return { text: `No deals${whose}${stage ? ` in ${stage}` : ''}. Add one with /deal add <customer> <amount>.` };
        const stages = ctx.settings.stages;
        const { groups, pages } = dealListPage(deals, stages.map((s) => s.id), a.page);
        if (a.page > pages) throw new CommandError(`There ${pages === 1 ? 'is 1 page' : `are ${pages} pages`} of deals; ask for page:1 to page:${pages}.`);
        const names = new Map<number, string>();
        for (const g of groups) for (const d of g.deals) if (!names.has(d.customerId)) names.set(d.customerId, (await ctx.store.customers.get(d.customerId))?.name ?? '?');
        const locale = ctx.settings.locale;
        const count = (n: number) => countOf(n, { one: 'deal', other: 'deals' }, locale);
        const open = deals.filter((d) => d.closedAt === null).length;
        const won = deals.filter((d) => d.stage === 'won').length;
        const summary = `${count(deals.length)}${whose}${stage ? ` in ${stage}` : ''}: ${open} open, ${won} won, ${deals.length - open - won} lost`;
        const percentOf = (id: string) => Math.round((stages.find((s) => s.id === id)?.probability ?? 0) * 100);
        return {
          text: `${summary}${pages > 1 ? ` (page ${a.page} of ${pages})` : ''}.`,
          fields: groups.map((g) => ({
            label: g.open ? `Open, ${g.stage} (${percentOf(g.stage)}%): ${count(g.deals.length)}` : `${g.stage === 'won' ? 'Won' : 'Lost'}: ${count(g.deals.length)}`,
            value: g.deals.map((d) => dealLine(d, names.get(d.customerId)!)).join('\n'),
          })),
          buttons: a.page < pages ? [commandButton(`Next ${DEALS_PER_PAGE}`, 'deal', 'list', [a.scope, stage && `stage:${stage}`, `page:${a.page + 1}`].filter(Boolean).join(' '))] : undefined,
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
