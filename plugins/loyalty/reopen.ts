import { changeDoc, shortId, type CoreEvents } from '../../core/plugin-api.js';
import { heldId, type HeldPoints } from './approvals.js';
import type { Deps } from './commands/shared.js';
import { reverseEntry, type Reversal } from './reversal.js';
import { earnKey, wonDealSource } from './rules.js';

/**
 * A won deal reopened gives back what its win earned: the earn entry (and points a manager approved above the
 * cap) is reversed by the person who reopened it, and points still held for it are refused. Keyed by the win,
 * so a retried event reverses once, and winning again earns again.
 */
export async function takeBackWonDeal(d: Deps, p: CoreEvents['deal.reopened'], now: string): Promise<{ key: string; reversals: Reversal[]; refusedHold: boolean } | null> {
  if (p.from !== 'won') return null;
  const key = earnKey({ rule: 'dealWon', sourceId: wonDealSource(p.deal) });
  const data = { by: p.by, reason: `${shortId('deal', p.deal.id)} reopened` };
  const ledger = d.ledger(p.tenant);
  const reversals: Reversal[] = [];
  for (const k of [key, `approved:${key}`]) reversals.push(await reverseEntry(ledger, d.cfg, p.deal.customerId, k, data, now));
  const refusedHold = (await changeDoc(d.held(p.tenant), heldId(key), (h): Partial<HeldPoints> | null => (h.status === 'pending' ? { status: 'refused', decidedBy: p.by, decidedAt: now } : null))) !== null;
  return { key, reversals, refusedHold };
}
