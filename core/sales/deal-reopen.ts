import { CommandError, ConflictError } from '../commands/router.js';
import { draft } from '../events/bus.js';
import type { CommandContext } from '../commands/types.js';
import type { Reply } from '../chat/reply.js';
import { shortId } from '../domain/ids.js';
import type { Deal } from '../domain/types.js';
import { formatMoney } from './amount.js';
import { dealButtons, dealLine } from './format.js';
import { movedBy, replayedMove } from './replayed-move.js';
import { withdrawWonPurchase } from './won-revenue.js';

const isClosedStage = (stage: string) => stage === 'won' || stage === 'lost';

/** The open stage a closed deal was in last: the latest history entry before its close that is neither won nor lost. */
export function lastOpenStage(d: Deal, openStages: readonly string[]): string | null {
  for (let i = d.history.length - 1; i >= 0; i--) {
    const stage = d.history[i]!.stage;
    if (!isClosedStage(stage) && openStages.includes(stage)) return stage;
  }
  return null;
}

/**
 * `/deal reopen`: puts a won or lost deal back in an open stage (named, or the last open one it was in). The
 * move goes in the deal history; a won deal's purchase is withdrawn, so lifecycle, RFM and CLV stop counting
 * it (winning again records it again, once), and `deal.reopened` lets plugins undo what the win gave
 * (loyalty takes back the won deal's points).
 */
export async function reopenDeal(ctx: CommandContext, d: Deal, stageWord: string | null): Promise<Reply> {
  const ref = shortId('deal', d.id);
  const again = replayedMove(ctx, d);
  if (!d.closedAt && !again) throw new ConflictError(`${ref} is open (${d.stage}); only won or lost deals are reopened. Move it with /deal stage ${ref} <stage>.`);
  const open = ctx.settings.stages.filter((s) => !isClosedStage(s.id));
  const from = again?.from ?? d.stage;
  const wanted = stageWord?.toLowerCase() ?? (again ? d.stage : lastOpenStage(d, open.map((s) => s.id))) ?? open[0]!.id;
  const stage = open.find((s) => s.id === wanted);
  if (!stage) throw new CommandError(`"${stageWord}" is not an open stage. Reopen into one of: ${open.map((s) => s.id).join(', ')} (e.g. /deal reopen ${ref} ${open[0]!.id}).`);
  const tx = ctx.bus.batch();
  const change = { stage: stage.id, ...movedBy(ctx), probability: stage.probability, closed: false, lostReason: null };
  const moved = again ? d : (await ctx.store.deals.moveStage(d.id, change, tx.events((deal) => [
    draft('deal.stage_changed', { tenant: ctx.tenant, deal, from: d.stage }),
    draft('deal.reopened', { tenant: ctx.tenant, deal, from: d.stage, by: ctx.actor.identity }),
  ])))!;
  // A replay withdraws what its first run may not have reached; either way the purchase was withdrawn by this event.
  const withdrawn = from === 'won' && ((await withdrawWonPurchase(ctx.store, d.id)) || Boolean(again));
  await tx.published();
  const customer = await ctx.store.customers.get(moved.customerId);
  return {
    text: `${ref} reopened: ${from} to ${moved.stage}.${withdrawn ? ` Its won purchase of ${formatMoney(d.amountMinor, d.currency)} is withdrawn from the customer's revenue.` : ''}`,
    fields: [{ label: 'Deal', value: dealLine(moved, customer?.name ?? '?') }],
    buttons: dealButtons(moved, ctx.settings.stages),
  };
}
