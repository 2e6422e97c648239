import type { Engine } from '../engine.js';

/** Demo customers one can act as from the web chat: each is linked to a record with history. */
export const DEMO_PERSONAS = [
  { user: 'dana', locale: 'en' },
  { user: 'wei', locale: 'zh-CN' },
] as const;

/**
 * Links each demo persona (`web:dana`, ...) to a seeded customer that has purchases (so loyalty points),
 * a survey answer and a deal, so trying the customer role shows a real history. Distinct customers,
 * lowest ids first, so the choice is the same for the same seed.
 */
export async function linkDemoPersonas(engine: Engine, tenant: string, now: string): Promise<string[]> {
  const ts = engine.store.tenant(tenant);
  const total = await ts.customers.count();
  const linked: string[] = [];
  let id = 0;
  for (const p of DEMO_PERSONAS) {
    while (++id <= total) {
      const c = await ts.customers.get(id);
      if (!c || c.mergedInto !== null) continue;
      const counts = await ts.interactions.countByType(id);
      if ((counts.purchase ?? 0) < 2 || !counts.survey_response) continue;
      if (!(await ts.deals.list({ customerId: id }, 1)).length) continue;
      await ts.identities.touch({ identity: `web:${p.user}`, platform: 'web', displayName: c.name, role: 'customer', customerId: id, locale: p.locale }, now);
      linked.push(`web:${p.user}`);
      break;
    }
  }
  return linked;
}
