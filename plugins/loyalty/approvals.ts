import { createHash } from 'node:crypto';
import { changeDoc, type DocCollection, type Ledger } from '../../core/plugin-api.js';
import { avail, pending } from './book.js';
import type { LoyaltyConfig, RuleName } from './config.js';
import type { EarnResult } from './earn.js';
import { addDays, addMonths } from './lots.js';
import type { Occasion } from './rules.js';

/** Points an event would have earned above a cap, waiting for a manager. */
export interface HeldPoints {
  /** `P-` and 8 hex digits of the earn key's hash: one hold per event, whatever the retries. */
  id: string;
  key: string;
  customerId: number;
  rule: RuleName;
  source: string;
  points: number;
  /** Who caused the event (the rep who won the deal, logged the purchase). */
  by: string;
  at: string;
  status: 'pending' | 'approved' | 'refused';
  decidedBy: string | null;
  decidedAt: string | null;
  /** The inbound event whose command decided it, so that event's replay after a crash finds its own decision. */
  decidedFor?: string;
}

export const heldId = (key: string) => `P-${createHash('sha256').update(key).digest('hex').slice(0, 8).toUpperCase()}`;

/** Records what `earn` could not give; idempotent per event. Returns the hold, or null when nothing was held. */
export async function holdExcess(docs: DocCollection<HeldPoints>, o: Occasion, key: string, r: EarnResult, by: string, now: string): Promise<HeldPoints | null> {
  if (r.status === 'duplicate' || r.held <= 0) return null;
  const doc: HeldPoints = {
    id: heldId(key), key, customerId: o.customerId, rule: o.rule, source: o.sourceId, points: r.held, by, at: now,
    status: 'pending', decidedBy: null, decidedAt: null,
  };
  return (await docs.insertIfAbsent(doc)) ? doc : null;
}

/**
 * A manager's decision. Approved points become an earn entry of their own (same lot rules as the rule
 * that earned them), recording both who caused them and who approved them; a hold is decided once.
 */
export async function decide(
  docs: DocCollection<HeldPoints>, ledger: Ledger, cfg: LoyaltyConfig, id: string, approve: boolean, by: string, now: string, event: string | null = null,
): Promise<{ ok: true; held: HeldPoints } | { ok: false; why: string }> {
  const found = await docs.get(id.toUpperCase());
  if (!found) return { ok: false, why: `No held points ${id}. See /points approve for the list.` };
  // This event decided it already (replayed after its process died): it goes on to the earn entry, keyed by the hold, so given once.
  const replayed = event !== null && found.decidedFor === event;
  const decision = (h: HeldPoints): Partial<HeldPoints> | null =>
    (h.status === 'pending' ? { status: approve ? 'approved' : 'refused', decidedBy: by, decidedAt: now, ...(event ? { decidedFor: event } : {}) } : null);
  // Claimed at the version read: of two managers (or a manager and a reopened deal) deciding at once, one wins.
  const decided = replayed ? found : await changeDoc(docs, found.id, decision);
  if (!decided) {
    const held = (await docs.get(found.id)) ?? found;
    return { ok: false, why: `${held.id} was already ${held.status} by ${held.decidedBy}.` };
  }
  const held = decided;
  if (approve) {
    const rule = cfg.rules[held.rule];
    const data = {
      rule: held.rule, source: held.source, by: held.by, approvedBy: by, held: held.id,
      earnedAt: now, expiresAt: addMonths(now, cfg.expiryMonths), ...(rule.pending ? { releaseAt: addDays(now, cfg.pendingDays) } : {}),
    };
    const r = await ledger.append([{ key: `approved:${held.key}`, account: rule.pending ? pending(held.customerId) : avail(held.customerId), delta: held.points, kind: 'earn', at: now, data }]);
    if (r.status === 'duplicate' && !replayed) return { ok: false, why: `${held.id} was already approved.` };
  }
  return { ok: true, held: decided };
}
