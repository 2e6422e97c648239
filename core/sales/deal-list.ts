import type { Deal } from '../domain/types.js';

export const DEALS_PER_PAGE = 20;

export interface DealGroup {
  /** `lead`, `qualified`... for open deals; `won` or `lost` for closed ones. */
  stage: string;
  open: boolean;
  deals: Deal[];
}

/**
 * One page of `/deal list`: open deals first in pipeline order (newest first within a stage), then won,
 * then lost (latest closed first), cut into pages of 20 and grouped by stage within the page.
 */
export function dealListPage(deals: Deal[], stageOrder: string[], page: number): { groups: DealGroup[]; pages: number } {
  const rank = (d: Deal) => (d.stage === 'won' ? stageOrder.length : d.stage === 'lost' ? stageOrder.length + 1 : Math.max(0, stageOrder.indexOf(d.stage)));
  const sorted = [...deals].sort((a, b) => rank(a) - rank(b) || (b.closedAt ?? '').localeCompare(a.closedAt ?? '') || b.id - a.id);
  const pages = Math.max(1, Math.ceil(sorted.length / DEALS_PER_PAGE));
  const groups: DealGroup[] = [];
  for (const d of sorted.slice((page - 1) * DEALS_PER_PAGE, page * DEALS_PER_PAGE)) {
    const last = groups.at(-1);
    if (last && last.stage === d.stage) last.deals.push(d);
    else groups.push({ stage: d.stage, open: d.closedAt === null, deals: [d] });
  }
  return { groups, pages };
}
