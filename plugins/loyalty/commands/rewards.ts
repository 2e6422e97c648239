import { CommandError, RoleError, NotFoundError, command, noArgs, resolveCustomer, shortId, words, sub, type CommandContext, type Customer, type Reply } from '../../../core/plugin-api.js';
import { avail, stock } from '../book.js';
import { parsePoints, parseRewardId, parseStock } from '../parse.js';
import { MANAGERS, customerOf, operationKey, who, type Deps } from './shared.js';

const MAX_STOCK = 1_000_000;

/** `/rewards`: the catalogue with cost and stock left; managers add rewards and restock through the ledger. */
export function rewardsCommand(d: Deps) {
  return command({
    name: 'rewards',
    summary: 'The rewards catalogue: what points buy, and how many are left',
    defaultSubcommand: 'list',
    subcommands: [
      sub({
        name: 'list', usage: '', summary: 'Rewards with cost and stock left', roles: ['admin', 'manager', 'rep', 'customer'], args: noArgs,
        run: async (ctx) => {
          const list = await d.rewards(ctx.tenant).find({}, { orderBy: 'cost' });
          if (!list.length) return { text: 'No rewards yet. A manager adds one with /rewards add <id> <cost> <stock> <title>.' };
          const ledger = d.ledger(ctx.tenant);
          const left = await Promise.all(list.map((r) => ledger.balance(stock(r.id))));
          return {
            text: 'Rewards (redeem with /redeem <id>):',
            fields: list.map((r, i) => ({ label: `${r.id}: ${r.title}`, value: `${r.cost} points, ${left[i]! > 0 ? `${left[i]} left` : 'out of stock'}` })),
            buttons: list.filter((_, i) => left[i]! > 0).slice(0, 5).map((r) => ({ id: 'redeem.reward', label: `Redeem ${r.title}`.slice(0, 80), value: r.id })),
          };
        },
      }),
      sub({
        name: 'add', usage: '<id> <cost> <stock> <title>', summary: 'Add a reward or restock one (stock adds up)', roles: MANAGERS,
        args: words(4, 60, 'Say the reward id, its cost in points, how many to stock and its title').transform((a, c) => {
          const [rawId, rawCost, rawStock] = a.words as [string, string, string];
          const id = parseRewardId(rawId);
          const cost = parsePoints(rawCost, d.cfg.maxRewardCost, 'Costs');
          const count = parseStock(rawStock, MAX_STOCK);
          const title = a.words.slice(3).join(' ');
          for (const r of [id, cost, count]) if (!r.ok) c.addIssue({ code: 'custom', message: r.error });
          if (title.length > 80) c.addIssue({ code: 'custom', message: 'The title is longer than 80 characters' });
          return { id: id.ok ? id.value : '', cost: cost.ok ? cost.value : 0, count: count.ok ? count.value : 0, title };
        }),
        run: async (ctx, a) => {
          const now = ctx.now();
          const existing = await d.rewards(ctx.tenant).get(a.id);
          await d.rewards(ctx.tenant).put({ id: a.id, title: a.title, cost: a.cost, createdAt: existing?.createdAt ?? now, by: existing?.by ?? ctx.actor.identity });
          const ledger = d.ledger(ctx.tenant);
          if (a.count > 0) {
            await ledger.append([{ key: operationKey(ctx, `stock:${a.id}`), account: stock(a.id), delta: a.count, kind: 'stock', at: now, data: { by: ctx.actor.identity } }]);
          }
          const left = await ledger.balance(stock(a.id));
          return { text: `${existing ? 'Updated' : 'Added'} reward ${a.id}: ${a.title}, ${a.cost} points, ${left} in stock.` };
        },
      }),
    ],
  });
}

/**
 * `/redeem <reward>`: points and stock leave in one append with floors at zero, so a redemption that
 * cannot be honoured writes nothing, however many run at once.
 */
export function redeemCommand(d: Deps) {
  return command({
    name: 'redeem',
    summary: 'Spend points on a reward (customers: for yourself; managers: for a customer)',
    defaultSubcommand: 'reward',
    subcommands: [
      sub({
        name: 'reward', usage: '<reward id> [customer (staff only)]', summary: 'Redeem a reward from /rewards', roles: ['customer', 'manager', 'admin'],
        args: words(1, 2, 'Say which reward (see /rewards)').transform((a, c) => {
          const id = parseRewardId(a.words[0]!);
          if (!id.ok) c.addIssue({ code: 'custom', message: id.error });
          return { id: id.ok ? id.value : '', ref: a.words[1] };
        }),
        run: async (ctx, a) => redeem(d, ctx, a),
      }),
    ],
  });
}

async function redeemer(ctx: CommandContext, ref: string | undefined): Promise<Customer> {
  if (ctx.actor.role === 'customer') {
    if (ref !== undefined) throw new RoleError('You can redeem only for yourself: /redeem <reward>.');
    if (ctx.actor.customerId === null) throw new CommandError('You have no customer record yet, so no points to spend.');
    return resolveCustomer(ctx.store, shortId('customer', ctx.actor.customerId));
  }
  if (ref === undefined) throw new CommandError('Say for which customer: /redeem <reward> <customer>.');
  return customerOf(ctx, ref);
}

async function redeem(d: Deps, ctx: CommandContext, a: { id: string; ref: string | undefined }): Promise<Reply> {
  const c = await redeemer(ctx, a.ref);
  const reward = await d.rewards(ctx.tenant).get(a.id);
  if (!reward) throw new NotFoundError(`No reward "${a.id}". See /rewards for what there is.`);
  const key = operationKey(ctx, 'redeem');
  const now = ctx.now();
  const data = { reward: reward.id, title: reward.title, cost: reward.cost, by: ctx.actor.identity };
  const r = await d.ledger(ctx.tenant).append([
    { key, account: avail(c.id), delta: -reward.cost, kind: 'redeem', at: now, data },
    { key: `${key}:stock`, account: stock(reward.id), delta: -1, kind: 'redeem', at: now, data: { op: key } },
  ], { [avail(c.id)]: 0, [stock(reward.id)]: 0 });
  const mine = ctx.actor.customerId === c.id;
  if (r.status === 'insufficient' && r.account === stock(reward.id)) throw new CommandError(`${reward.title} is out of stock; nothing was spent. See /rewards.`);
  if (r.status === 'insufficient') {
    throw new CommandError(`${mine ? 'You have' : `${who(c)} has`} ${r.balance} points to spend; ${reward.title} costs ${reward.cost}. Nothing was spent.`);
  }
  // A duplicate is this event's own redemption, written by a run that died before answering: answered the same.
  const left = r.status === 'ok' ? r.balances[avail(c.id)] : await d.ledger(ctx.tenant).balance(avail(c.id));
  return { text: `Redeemed ${reward.title} for ${reward.cost} points${mine ? '' : ` for ${who(c)}`}. ${left} points left. Reference: ${key}.` };
}
