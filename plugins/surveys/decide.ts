import type { Customer, IdentityLink } from '../../core/plugin-api.js';
import { quietUntil } from './clock.js';
import type { LastSurveyed } from './store.js';

const DAY = 86_400_000;

/** "Reachable platform = the one they were last active on": the reachable identity seen most recently. */
export function reachableIdentity(identities: IdentityLink[]): IdentityLink | null {
  let best: IdentityLink | null = null;
  for (const i of identities) if (i.reachable && (!best || i.lastSeenAt > best.lastSeenAt)) best = i;
  return best;
}

export type Decision =
  | { outcome: 'optedOut' | 'unreachable' | 'recent' }
  | { outcome: 'sent'; identity: IdentityLink }
  | { outcome: 'waiting'; identity: IdentityLink; dueAt: string };

export interface DecideInput {
  customer: Customer;
  identities: IdentityLink[];
  /** The person's last survey across all campaigns (null when never, or cleared by a closed follow-up). */
  last: LastSurveyed | null;
  campaignId: string;
  now: string;
  minDaysBetweenSurveys: number;
  quietHours: { start: string; end: string };
  tenantTimezone: string;
}

/** Whether one person gets this campaign now, later (quiet hours), or not at all, and why. */
export function decide(x: DecideInput): Decision {
  if (!x.customer.consent.surveys) return { outcome: 'optedOut' };
  const identity = reachableIdentity(x.identities);
  if (!identity) return { outcome: 'unreachable' };
  const recent = x.last && x.last.campaignId !== x.campaignId && Date.parse(x.now) - Date.parse(x.last.at) < x.minDaysBetweenSurveys * DAY;
  if (recent) return { outcome: 'recent' };
  const dueAt = quietUntil(x.now, identity.timezone ?? x.tenantTimezone, x.quietHours);
  return dueAt ? { outcome: 'waiting', identity, dueAt } : { outcome: 'sent', identity };
}
