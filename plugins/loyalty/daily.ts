import type { IdentityLink, Ledger, LedgerEntry } from '../../core/plugin-api.js';
import { accountsOf, avail, pending } from './book.js';
import type { LoyaltyConfig } from './config.js';
import { dueForExpiry, dueForRelease, expiringWithin, lotsOf, remainingOf, type Lot } from './lots.js';
import type { Ctx } from './manifest.js';

const PAGE = 200;
/** Who causes the entries of the daily pass, in the ledger's `by`. */
const DAILY = 'system:loyalty-daily';
/** A concurrent redemption or reversal between our read and our append makes us re-read this many times. */
const ATTEMPTS = 3;

export interface DailyCounts {
  released: number;
  expired: number;
  warned: number;
}

/**
 * The daily pass over every customer of a tenant, computed against the tick time (not the wall clock):
 * release due pending lots, expire old lots, warn about lots expiring soon. Every write is keyed by its
 * lot, so a re-run of the same or a later tick changes nothing already done.
 */
export async function runDaily(ctx: Ctx, ledger: Ledger, tenant: string, now: string): Promise<DailyCounts> {
  const counts: DailyCounts = { released: 0, expired: 0, warned: 0 };
  const customers = ctx.tenant(tenant).customers;
  for (let after = 0; ; ) {
    const page = await customers.page(after, PAGE);
    if (!page.length) break;
    for (const c of page) {
      counts.released += await release(ledger, c.id, now);
      counts.expired += await expire(ledger, c.id, now);
      counts.warned += await warn(ctx, ledger, tenant, c.id, now);
    }
    after = page.at(-1)!.id;
  }
  return counts;
}

/**
 * Takes each due lot out of an account, one append per lot. The floor is what the other lots hold, so if
 * something took from this lot meanwhile the append is refused and we re-read instead of overdrawing.
 */
async function takeDueLots(
  ledger: Ledger, customerId: number, which: 'pending' | 'avail', now: string,
  dueOf: (lots: Lot[], now: string) => Lot[], entriesFor: (lot: Lot) => LedgerEntry[],
): Promise<number> {
  const account = which === 'pending' ? pending(customerId) : avail(customerId);
  let done = 0;
  for (let i = 0; i < ATTEMPTS; i++) {
    const lots = lotsOf((await accountsOf(ledger, customerId))[which]);
    const due = dueOf(lots, now);
    if (!due.length) return done;
    let refused = false;
    let left = remainingOf(lots);
    for (const lot of due) {
      const r = await ledger.append(entriesFor(lot), { [account]: left - lot.remaining });
      if (r.status === 'ok') {
        done += lot.remaining;
        left -= lot.remaining;
      }
      if (r.status === 'insufficient') refused = true;
    }
    if (!refused) return done;
  }
  return done;
}

/** Moves each due pending lot to avail, both sides in one append. */
function release(ledger: Ledger, customerId: number, now: string): Promise<number> {
  return takeDueLots(ledger, customerId, 'pending', now, dueForRelease, (lot) => [
    { key: `release:${lot.key}`, account: pending(customerId), delta: -lot.remaining, kind: 'release', at: now, data: { lot: lot.key, by: DAILY } },
    { key: `release:${lot.key}:avail`, account: avail(customerId), delta: lot.remaining, kind: 'release', at: now, data: { lot: lot.key, earnedAt: lot.at, expiresAt: lot.expiresAt, by: DAILY } },
  ]);
}

/** Expires what is left of each old lot. */
function expire(ledger: Ledger, customerId: number, now: string): Promise<number> {
  return takeDueLots(ledger, customerId, 'avail', now, dueForExpiry, (lot) => [
    { key: `expire:${lot.key}`, account: avail(customerId), delta: -lot.remaining, kind: 'expire', at: now, data: { lot: lot.key, expiresAt: lot.expiresAt, by: DAILY } },
  ]);
}

/** One DM per lot about to expire, to the customer's most recently seen reachable identity. */
async function warn(ctx: Ctx, ledger: Ledger, tenant: string, customerId: number, now: string): Promise<number> {
  const soon = expiringWithin(lotsOf(await ledger.entries(avail(customerId))), now, ctx.config.expiryWarningDays);
  if (!soon.length) return 0;
  const to = pickIdentity(await ctx.tenant(tenant).identities.listForCustomer(customerId));
  if (!to) return 0;
  let sent = 0;
  for (const lot of soon) {
    const queued = await ctx.outbox.send(tenant, { platform: to.platform, target: to.identity, reply: { text: warning(lot) }, idempotencyKey: `expiry-warning:${lot.key}` });
    if (queued) sent++;
  }
  return sent;
}

function warning(lot: Lot): string {
  return `${lot.remaining} of your loyalty points expire on ${lot.expiresAt!.slice(0, 10)}. Spend them with /rewards and /redeem <reward>.`;
}

function pickIdentity(links: readonly IdentityLink[]): IdentityLink | null {
  return links.filter((l) => l.reachable).sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt))[0] ?? null;
}
