import { definePlugin } from '../../core/plugin-api.js';
import { manifest } from './manifest.js';
import { holdExcess, type HeldPoints } from './approvals.js';
import { LEDGER, accountsOf, avail, capPrefix, pending, summarise } from './book.js';
import { pointsCommand } from './commands/points.js';
import { redeemCommand, rewardsCommand } from './commands/rewards.js';
import type { Deps, Reward } from './commands/shared.js';
import { checkConfig } from './config.js';
import { runDaily } from './daily.js';
import { earn } from './earn.js';
import { loyaltyKpis } from './kpis.js';
import { takeBackWonDeal } from './reopen.js';
import { earnKey, purchaseOrSurvey, welcome, wonDeal, type Occasion } from './rules.js';

const ALL_ENTRIES = 2 ** 31 - 1;

/** Loyalty points: every change is a ledger entry; balances, lots and tiers are derived from them. */
export default definePlugin(manifest, {
  init(ctx) {
    const cfg = checkConfig(ctx.config);
    const d: Deps = {
      cfg,
      ledger: (tenant) => ctx.ledger(tenant, LEDGER),
      rewards: (tenant) => ctx.docs<Reward>(tenant, 'rewards'),
      held: (tenant) => ctx.docs<HeldPoints>(tenant, 'held'),
    };
    ctx.commands.register(pointsCommand(d));
    ctx.commands.register(rewardsCommand(d));
    ctx.commands.register(redeemCommand(d));

    // `by`: who caused the event; every entry it writes records it, and points over a cap wait in their name.
    // Points are earned on the event's clock (its occurredAt, never later than now): pending period, expiry,
    // caps and tier multiplier as of then, so imported history earns over its own months.
    const onOccasion = async (tenant: string, o: Occasion | null, by: string, occurredAt?: string | null) => {
      if (!o) return;
      const now = ctx.now();
      const at = occurredAt && occurredAt < now ? occurredAt : now;
      const r = await earn(d.ledger(tenant), cfg, o, at, ctx.settings(tenant).timezone, { by });
      if (r.status === 'earned') ctx.log.debug({ tenant, key: r.key, points: r.points }, 'points earned');
      const held = await holdExcess(d.held(tenant), o, earnKey(o), r, by, now);
      if (held) ctx.log.info({ tenant, held: held.id, points: held.points, by }, 'points above a cap wait for approval');
    };
    ctx.events.on('interaction.recorded', (p) => onOccasion(p.tenant, purchaseOrSurvey(p), p.by, p.interaction.occurredAt));
    ctx.events.on('deal.won', (p) => {
      const s = ctx.settings(p.tenant);
      const o = wonDeal(p, s.currency, s.fx);
      if (o && 'noRate' in o) return ctx.log.info({ tenant: p.tenant, deal: p.deal.id, currency: p.deal.currency }, `won deal earns no points: no ${o.noRate} rate in the config fx`);
      return onOccasion(p.tenant, o, p.deal.history.at(-1)?.by ?? p.deal.owner, p.deal.closedAt);
    });
    ctx.events.on('deal.reopened', async (p) => {
      const r = await takeBackWonDeal(d, p, ctx.now());
      for (const x of r?.reversals ?? []) {
        if (x.status === 'ok') ctx.log.info({ tenant: p.tenant, deal: p.deal.id, key: x.entry.key, points: x.entry.delta }, 'won deal reopened: its points reversed');
        if (x.status === 'insufficient') ctx.log.warn({ tenant: p.tenant, deal: p.deal.id, key: x.entry.key, points: x.entry.delta, balance: x.balance }, 'won deal reopened: its points were already spent, nothing reversed; use /points take');
      }
    });
    ctx.events.on('customer.created', async (p) => {
      // A spare record made by two first messages at once is merged away: only the one that stayed is welcomed.
      if ((await ctx.tenant(p.tenant).customers.get(p.customer.id))?.mergedInto) return;
      await onOccasion(p.tenant, welcome(p), 'system:first-contact', p.customer.createdAt);
    });

    for (const tenant of ctx.tenants()) {
      ctx.scheduler.add({
        name: `daily:${tenant}`,
        cron: '0 3 * * *',
        timezone: ctx.settings(tenant).timezone,
        run: async (tick) => {
          const counts = await runDaily(ctx, d.ledger(tenant), tenant, tick);
          ctx.log.info({ tenant, tick, ...counts }, 'loyalty daily pass');
        },
      });
    }

    // Every entry of the customer accounts: the default limit keeps the oldest, and a period wants the newest.
    ctx.kpis.provide('loyalty', async (tenant, from, to) => {
      const ledger = d.ledger(tenant);
      const [a, p] = await Promise.all([ledger.entriesByPrefix('avail:', ALL_ENTRIES), ledger.entriesByPrefix('pending:', ALL_ENTRIES)]);
      return loyaltyKpis([...a, ...p], from, to);
    });

    ctx.customerCard.add(async (tenant, customerId) => {
      const s = summarise(await accountsOf(d.ledger(tenant), customerId), cfg, ctx.now());
      return [{ label: 'Loyalty', value: `${s.avail} points, ${s.pending} pending, tier ${s.standing.tier.name}` }];
    });

    ctx.privacy.onExport(async (tenant, customerId) => {
      const ledger = d.ledger(tenant);
      return { ...(await accountsOf(ledger, customerId)), caps: await ledger.entriesByPrefix(capPrefix(customerId)), held: await d.held(tenant).find({ customerId }) };
    });
    ctx.privacy.onErase(async (tenant, customerId) => {
      const ledger = d.ledger(tenant);
      const caps = new Set((await ledger.entriesByPrefix(capPrefix(customerId))).map((e) => e.account));
      for (const account of [avail(customerId), pending(customerId), ...caps]) await ledger.eraseAccount(account);
      await d.held(tenant).deleteWhere({ customerId });
    });
  },
});

/** What the benchmark (bench/suites/loyalty.ts) measures, beside the plugin itself. */
export { earn, LEDGER, pending };
export type { LoyaltyConfig, RuleConfig } from './config.js';
