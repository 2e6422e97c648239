import { shortId } from '../domain/ids.js';
import type { Deal } from '../domain/types.js';
import type { TenantStore } from '../store/port.js';

/** The sourceEventId of a won deal's purchase: one per deal, whatever the retries. */
export const wonDealSource = (dealId: number) => `deal-won:${dealId}`;

/**
 * A won deal is revenue (CRM-METHOD, Value): it is recorded once as a purchase of its customer, at its
 * close time, in its currency, so lifecycle, RFM, CLV and margin see it like any purchase.
 */
export async function recordWonPurchase(store: TenantStore, d: Deal): Promise<void> {
  if (d.stage !== 'won' || !d.closedAt) return;
  await store.interactions.add({
    customerId: d.customerId, identity: d.owner, type: 'purchase', channel: 'deal', direction: 'in',
    text: `won deal ${shortId('deal', d.id)}: ${d.title}`, amountMinor: d.amountMinor, currency: d.currency,
    occurredAt: d.closedAt, sourceEventId: wonDealSource(d.id),
  });
}

/** Takes a reopened deal's purchase back out of the customer's revenue; true when there was one. */
export function withdrawWonPurchase(store: TenantStore, dealId: number): Promise<boolean> {
  return store.interactions.withdraw(wonDealSource(dealId));
}
