import { definePlugin } from '../../core/plugin-api.js';
import { manifest } from './manifest.js';
import { digestCommand } from './commands.js';
import { sendDue } from './deliver.js';
import { subscriptions } from './subscriptions.js';

/**
 * KPI digest: subscriptions per chat, sent by one minute job that every process registers (the store's
 * tick claim makes one worker run each tick, whichever process took the subscription), a late send of
 * what was missed while down, and GDPR export/erase of a subscriber's orders.
 */
export default definePlugin(manifest, {
  async init(ctx) {
    const subs = subscriptions(ctx);
    ctx.commands.register(digestCommand(ctx, subs));
    ctx.scheduler.add({ name: 'due', cron: '* * * * *', timezone: 'UTC', run: (tick) => sendDue(ctx, subs, tick) });
    const subscribersOf = async (tenant: string, customerId: number) =>
      new Set((await ctx.tenant(tenant).identities.listForCustomer(customerId)).map((i) => i.identity));
    ctx.privacy.onExport(async (tenant, customerId) => {
      const who = await subscribersOf(tenant, customerId);
      return (await subs.find(tenant, {})).filter((s) => who.has(s.subscriber));
    });
    ctx.privacy.onErase(async (tenant, customerId) => {
      const who = await subscribersOf(tenant, customerId);
      for (const s of await subs.find(tenant, {})) if (who.has(s.subscriber)) await subs.remove(tenant, s.id);
    });
  },
});

/** What the benchmark (bench/suites/kpi-digest.ts) measures, beside the plugin itself. */
export { computeDigest, type DigestRequest } from './digest/compute.js';
