import { definePlugin } from '../../core/index.js';
import { digestCommand } from './commands.js';
import { catchUp, schedule, unschedule } from './deliver.js';
import { subscriptions } from './subscriptions.js';

/**
 * KPI digest: subscriptions per chat, one node-cron job each (the store's tick lease makes one process
 * send it), a late send of what was missed while down, and GDPR export/erase of a subscriber's orders.
 */
export default definePlugin({
  async init(ctx) {
    const subs = subscriptions(ctx);
    ctx.commands.register(digestCommand(ctx, subs));
    for (const s of await subs.all()) schedule(ctx, subs, s);
    const subscribersOf = async (tenant: string, customerId: number) =>
      new Set((await ctx.tenant(tenant).identities.listForCustomer(customerId)).map((i) => i.identity));
    ctx.privacy.onExport(async (tenant, customerId) => {
      const who = await subscribersOf(tenant, customerId);
      return (await subs.find(tenant, {})).filter((s) => who.has(s.subscriber));
    });
    ctx.privacy.onErase(async (tenant, customerId) => {
      const who = await subscribersOf(tenant, customerId);
      for (const s of await subs.find(tenant, {})) {
        if (!who.has(s.subscriber)) continue;
        await subs.remove(tenant, s.id);
        unschedule(ctx, s.id);
      }
    });
  },

  // Missed digests go out once every plugin is up, so figures other plugins provide (loyalty) are in them.
  async ready(ctx) {
    const subs = subscriptions(ctx);
    for (const s of await subs.all()) {
      try {
        await catchUp(ctx, subs, s);
      } catch (e) {
        ctx.log.error({ subscription: s.id, err: String(e) }, 'late digest failed');
      }
    }
  },
});
