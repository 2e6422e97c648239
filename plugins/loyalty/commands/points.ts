import { CommandError, ConflictError, command, sub, words, type CommandContext, type Reply } from '../../../core/plugin-api.js';
import { decide } from '../approvals.js';
import { accountsOf, avail, summarise } from '../book.js';
import { earn } from '../earn.js';
import { addMonths } from '../lots.js';
import { parsePoints } from '../parse.js';
import { reverseEntry } from '../reversal.js';
import { explainTier } from '../tiers.js';
import { EVERYONE, MANAGERS, STAFF, customerOf, entryLine, operationKey, subject, who, type Deps } from './shared.js';

const HISTORY = 15;
const optionalCustomer = words(0, 1, '', 'Say at most one customer (put names with spaces in "quotes")').transform((a) => ({ ref: a.words[0] }));

/** `/points`: balances, history, tier, and the staff actions that change points. */
export function pointsCommand(d: Deps) {
  const adjustArgs = words(3, 200, 'Say the customer, the points and the reason').transform((a, c) => {
    const n = parsePoints(a.words[1]!, d.cfg.maxManualPoints);
    if (!n.ok) c.addIssue({ code: 'custom', message: n.error });
    return { ref: a.words[0]!, points: n.ok ? n.value : 0, reason: a.words.slice(2).join(' ').slice(0, 500) };
  });

  const adjust = (sign: 1 | -1) => async (ctx: CommandContext, a: { ref: string; points: number; reason: string }): Promise<Reply> => {
    const c = await customerOf(ctx, a.ref);
    const now = ctx.now();
    const key = operationKey(ctx, 'adjust');
    const data = { by: ctx.actor.identity, reason: a.reason, ...(sign > 0 ? { expiresAt: addMonths(now, d.cfg.expiryMonths) } : {}) };
    const ledger = d.ledger(ctx.tenant);
    const r = await ledger.append([{ key, account: avail(c.id), delta: sign * a.points, kind: 'adjust', at: now, data }], { [avail(c.id)]: 0 });
    if (r.status === 'insufficient') throw new ConflictError(`${who(c)} has only ${r.balance} points to spend; nothing was taken.`);
    // A duplicate is this event's own change, written by a run that died before answering: answered the same.
    const balance = r.status === 'ok' ? r.balances[avail(c.id)] : await ledger.balance(avail(c.id));
    const verb = sign > 0 ? `Gave ${a.points} points to` : `Took ${a.points} points from`;
    return { text: `${verb} ${who(c)} (${a.reason}). Balance: ${balance} points. Undo with /points reverse C-${c.id} ${key}.` };
  };

  return command({
    name: 'points',
    summary: 'Loyalty points: balance, history, tier; staff give, take, reward helpful messages and referrals',
    defaultSubcommand: 'balance',
    subcommands: [
      sub({
        name: 'balance', usage: '[customer]', summary: 'Points to spend, pending and expiring soon (customers: your own)', roles: EVERYONE,
        args: optionalCustomer,
        run: async (ctx, a) => {
          const c = await subject(ctx, a.ref, 'balance');
          const s = summarise(await accountsOf(d.ledger(ctx.tenant), c.id), d.cfg, ctx.now());
          const mine = ctx.actor.customerId === c.id;
          return {
            text: `${mine ? 'You have' : `${who(c)} has`} ${s.avail} points to spend and ${s.pending} pending.`,
            fields: [
              { label: 'Pending', value: s.nextRelease ? `${s.pending} (next ${s.nextRelease.remaining} spendable on ${s.nextRelease.releaseAt!.slice(0, 10)})` : 'none' },
              { label: 'Expiring soon', value: s.expiring.map((l) => `${l.remaining} on ${l.expiresAt!.slice(0, 10)}`).join('; ') || `nothing in the next ${d.cfg.expiryWarningDays} days` },
              { label: 'Tier', value: `${s.standing.tier.name} (${s.standing.earned} earned in ${d.cfg.tierWindowDays} days)` },
            ],
            buttons: [{ id: 'rewards.list', label: 'Rewards', value: '' }, { id: 'points.tier', label: 'My tier', value: mine ? '' : `C-${c.id}` }],
          };
        },
      }),
      sub({
        name: 'history', usage: '[customer]', summary: `The last ${HISTORY} changes of points`, roles: EVERYONE, args: optionalCustomer,
        run: async (ctx, a) => {
          const c = await subject(ctx, a.ref, 'history');
          const acc = await accountsOf(d.ledger(ctx.tenant), c.id);
          const all = [...acc.avail, ...acc.pending].sort((x, y) => y.at.localeCompare(x.at)).slice(0, HISTORY);
          if (!all.length) return { text: `No points yet for ${who(c)}.` };
          return { text: `Points history of ${who(c)} (newest first):`, fields: all.map(entryLine) };
        },
      }),
      sub({
        name: 'tier', usage: '[customer]', summary: 'Which tier and why; what the next one needs', roles: EVERYONE, args: optionalCustomer,
        run: async (ctx, a) => {
          const c = await subject(ctx, a.ref, 'tier');
          const s = summarise(await accountsOf(d.ledger(ctx.tenant), c.id), d.cfg, ctx.now());
          return {
            text: explainTier(s.standing, d.cfg.tierWindowDays),
            fields: d.cfg.tiers.map((t) => ({ label: t.name, value: `from ${t.threshold} points earned in ${d.cfg.tierWindowDays} days; earning x${t.multiplier}` })),
          };
        },
      }),
      sub({ name: 'give', usage: '<customer|identity> <points> <reason>', summary: 'Add points by hand', roles: MANAGERS, args: adjustArgs, run: adjust(1) }),
      sub({ name: 'take', usage: '<customer|identity> <points> <reason>', summary: 'Remove points by hand', roles: MANAGERS, args: adjustArgs, run: adjust(-1) }),
      sub({
        name: 'helpful', usage: '<customer|identity>', summary: 'Reward a helpful community message (helpful rule, capped per day)', roles: STAFF,
        args: words(1, 1, 'Say whose message was helpful (customer or identity)').transform((a) => ({ ref: a.words[0]! })),
        run: async (ctx, a) => {
          const c = await customerOf(ctx, a.ref);
          const sourceId = operationKey(ctx, 'command');
          const r = await earn(d.ledger(ctx.tenant), d.cfg, { rule: 'helpful', sourceId, customerId: c.id, amountMinor: null }, ctx.now(), ctx.settings.timezone, { by: ctx.actor.identity });
          if (r.status === 'earned') return { text: `+${r.points} points to ${who(c)} for a helpful message.` };
          if (r.status === 'duplicate') return { text: `${who(c)} already got the points for that helpful message.` };
          if (r.status === 'nothing' && r.why === 'capped') return { text: `${who(c)} already got the most points for helpful messages allowed (${capText(d, 'helpful')}); nothing added.` };
          return { text: 'The helpful-message rule gives no points here (rules.helpful.points is 0).' };
        },
      }),
      sub({
        name: 'referral', usage: '<referrer> <referred customer>', summary: 'Points to whoever brought a new customer (once per referred customer)', roles: STAFF,
        args: words(2, 2, 'Say who referred and who was referred').transform((a) => ({ by: a.words[0]!, referred: a.words[1]! })),
        run: async (ctx, a) => {
          const [referrer, referred] = [await customerOf(ctx, a.by), await customerOf(ctx, a.referred)];
          if (referrer.id === referred.id) throw new CommandError('A customer cannot refer themselves.');
          const r = await earn(d.ledger(ctx.tenant), d.cfg, { rule: 'referral', sourceId: String(referred.id), customerId: referrer.id, amountMinor: null }, ctx.now(), ctx.settings.timezone, { by: ctx.actor.identity, referred: referred.id });
          if (r.status === 'earned') return { text: `+${r.points} points to ${who(referrer)} for referring ${who(referred)}.` };
          if (r.status === 'duplicate') return { text: `${who(referred)} was already referred; a referral earns once.` };
          if (r.why === 'capped') return { text: `${who(referrer)} already got the most referral points allowed (${capText(d, 'referral')}); nothing added.` };
          return { text: 'The referral rule gives no points here (rules.referral.points is 0).' };
        },
      }),
      sub({
        name: 'approve', usage: '[held id]', summary: 'Points above a cap wait here: list them, or approve one', roles: MANAGERS,
        args: words(0, 1, '', 'Say one held id, e.g. /points approve P-1A2B3C4D').transform((a) => ({ id: a.words[0] })),
        run: async (ctx, a) => (a.id ? decideHeld(d, ctx, a.id, true) : listHeld(d, ctx)),
      }),
      sub({
        name: 'refuse', usage: '<held id>', summary: 'Refuse points held above a cap', roles: MANAGERS,
        args: words(1, 1, 'Say which held id (see /points approve)').transform((a) => ({ id: a.words[0]! })),
        run: async (ctx, a) => decideHeld(d, ctx, a.id, false),
      }),
      sub({
        name: 'reverse', usage: '<customer> <entry key> [reason]', summary: 'Reverse an earn, redemption or adjustment with new entries', roles: MANAGERS,
        args: words(2, 200, 'Say the customer and the entry key (see /points history <customer>)').transform((a) => ({ ref: a.words[0]!, key: a.words[1]!, reason: a.words.slice(2).join(' ').slice(0, 500) })),
        run: async (ctx, a) => reverse(d, ctx, a),
      }),
    ],
  });
}

async function listHeld(d: Deps, ctx: CommandContext): Promise<Reply> {
  const waiting = await d.held(ctx.tenant).find({ status: 'pending' }, { limit: 50, orderBy: 'at' });
  if (!waiting.length) return { text: 'No points are waiting for approval.' };
  return {
    text: `${waiting.length} held above a cap, oldest first. Approve with /points approve <id>, refuse with /points refuse <id>:`,
    fields: waiting.map((h) => ({ label: h.id, value: `${h.points} points to C-${h.customerId} (${h.rule} ${h.source}), caused by ${h.by} on ${h.at.slice(0, 10)}` })),
  };
}

async function decideHeld(d: Deps, ctx: CommandContext, id: string, approve: boolean): Promise<Reply> {
  const r = await decide(d.held(ctx.tenant), d.ledger(ctx.tenant), d.cfg, id, approve, ctx.actor.identity, ctx.now(), ctx.sourceEventId ?? null);
  if (!r.ok) throw new CommandError(r.why);
  const h = r.held;
  return { text: approve ? `Approved ${h.id}: +${h.points} points to C-${h.customerId} (${h.rule}, caused by ${h.by}).` : `Refused ${h.id}: the ${h.points} points to C-${h.customerId} are not given.` };
}

function capText(d: Deps, rule: 'helpful' | 'referral'): string {
  const r = d.cfg.rules[rule];
  return [r.capPerDay !== null ? `${r.capPerDay} a day` : '', r.capPerCustomer !== null ? `${r.capPerCustomer} in total` : ''].filter(Boolean).join(', ');
}

/** Reversals are new entries that undo an operation; an entry is never edited and is reversed at most once. */
async function reverse(d: Deps, ctx: CommandContext, a: { ref: string; key: string; reason: string }): Promise<Reply> {
  const c = await customerOf(ctx, a.ref);
  const r = await reverseEntry(d.ledger(ctx.tenant), d.cfg, c.id, a.key, { by: ctx.actor.identity, reason: a.reason }, ctx.now());
  if (r.status === 'missing') throw new CommandError(`${who(c)} has no entry ${a.key}. See /points history C-${c.id} for the keys.`);
  if (r.status === 'not reversible') throw new CommandError(`Only earn, redeem and adjust entries can be reversed; a ${r.entry.kind} entry follows from one of those.`);
  if (r.status === 'duplicate') throw new ConflictError(`${r.entry.key} was already reversed.`);
  if (r.status === 'insufficient') throw new ConflictError(`${who(c)} has only ${r.balance} points left there, fewer than the ${r.entry.delta} to take back; nothing was changed. Use /points take for what is left.`);
  const e = r.entry;
  return { text: `Reversed ${e.key} for ${who(c)}: ${-e.delta > 0 ? '+' : ''}${-e.delta} points${e.kind === 'redeem' ? ', one back in stock' : ''}.` };
}
