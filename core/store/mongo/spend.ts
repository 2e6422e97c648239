import type { SpendRepo } from '../port.js';
import { d } from './codecs.js';
import { spendTotalPipeline } from './pipelines.js';
import type { Scope } from './scope.js';

/** Acquisition spend per month. */
export function mongoSpend({ m, tenant }: Scope): SpendRepo {
  return {
    record: async (month, amountMinor, currency, by, now) => {
      await m.Spend.create({ tenant, month, amountMinor, currency, by, at: d(now) });
    },
    total: async (fromMonth, toMonth) => {
      const [r] = (await m.Spend.aggregate(spendTotalPipeline(tenant, fromMonth, toMonth) as any[])) as { s: number }[];
      return r?.s ?? 0;
    },
  };
}
