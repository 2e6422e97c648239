import type { Subscription } from '../subscriptions.js';
import { lastDueAtOrBefore } from './cadence.js';

/** A digest sent this long after its due time says "(late)": every worker was down or missed ticks. */
export const LATE_AFTER_MS = 5 * 60_000;

/**
 * What a subscription owes at a minute tick: its last due time at or before the tick, unless that one was
 * already handled or fell before the subscription existed. A due time missed while everything was down
 * is still owed at the next tick (only the last one), and then it is late.
 */
export function owedAt(s: Pick<Subscription, 'cadence' | 'time' | 'timezone' | 'createdAt' | 'lastSentFor'>, tick: number): { due: number; late: boolean } | null {
  const due = lastDueAtOrBefore(tick, s.cadence, s.time, s.timezone);
  if (due <= Date.parse(s.createdAt)) return null;
  if (s.lastSentFor !== null && Date.parse(s.lastSentFor) >= due) return null;
  return { due, late: tick - due > LATE_AFTER_MS };
}
