/**
 * How long a count of a kind's live rate buckets answers for new keys in this process. Counting is an index range
 * scan over every live bucket, so a flood of made-up keys counted per key would cost the database more with each one;
 * within this time the last count, plus the buckets this process made since, decides instead.
 */
export const RECOUNT_MS = 1000;

/** The live buckets of a kind as counted at `at` (the callers' clock), plus those this process made since. */
export interface LiveTally {
  at: number;
  n: number;
}

/** Whether a new key may have a bucket: 'room' or 'full' from a fresh tally, 'count' when there is none. */
export function roomByTally(tally: LiveTally | undefined, now: number, maxKeys: number): 'room' | 'full' | 'count' {
  if (!tally || now < tally.at || now - tally.at >= RECOUNT_MS) return 'count';
  return tally.n < maxKeys ? 'room' : 'full';
}
