import type { Engine } from './engine.js';
import type { JobSpec } from './scheduler/scheduler.js';

export const DAY_MS = 86_400_000;

/**
 * Hourly: forgets event keys, Idempotency-Key answers and used sign-in codes older than a day, and
 * expired sessions. The tick is "now", so a test can run it at any instant.
 */
export function pruneJob(engine: Engine): JobSpec {
  return {
    name: 'core:prune',
    cron: '7 * * * *',
    timezone: 'UTC',
    run: async (tick) => {
      const now = tick;
      const dayAgo = new Date(Date.parse(tick) - DAY_MS).toISOString();
      const web = engine.store.tenant(engine.tenantFor('web', null));
      // Every tenant keeps the answers of its commands by event id (core/commands/once.ts); the web one also its Idempotency-Keys.
      const tenants = new Set([web.tenant, engine.config.file.defaultTenant, ...engine.config.file.tenants.map((t) => t.id)]);
      let idempotency = 0;
      for (const t of tenants) idempotency += await engine.store.tenant(t).idempotency.prune(dayAgo);
      const pruned = {
        eventsSeen: await engine.store.system.pruneSeen(dayAgo),
        idempotency,
        webAccess: await web.webAccess.prune(now, dayAgo),
      };
      engine.log.info(pruned, 'pruned bookkeeping older than a day');
    },
  };
}
