/**
 * Spike detection for mention volume: the count of a 60-minute window against the same query's own
 * hourly counts over the previous 7 days (z-score). A floor on the count keeps 1 -> 3 mentions from being a spike,
 * and the standard deviation is floored at 1 so a silent baseline does not make any blip infinite.
 */

export const BASELINE_HOURS = 7 * 24;

export interface SpikeRule {
  minCount: number;
  minZ: number;
}

export interface SpikeVerdict {
  spike: boolean;
  z: number;
  mean: number;
  sd: number;
}

/** `baseline` holds the hourly counts of the previous hours (hours without mentions count as 0). */
export function detectSpike(current: number, baseline: readonly number[], rule: SpikeRule): SpikeVerdict {
  const n = baseline.length;
  const mean = n ? baseline.reduce((a, b) => a + b, 0) / n : 0;
  const variance = n ? baseline.reduce((a, b) => a + (b - mean) ** 2, 0) / n : 0;
  const sd = Math.sqrt(variance);
  const z = (current - mean) / Math.max(sd, 1);
  return { spike: current >= rule.minCount && z >= rule.minZ, z: Math.round(z * 100) / 100, mean: Math.round(mean * 100) / 100, sd: Math.round(sd * 100) / 100 };
}

/** `2026-03-01T14` for any instant in that UTC hour. */
export function hourOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 13);
}

/** The `hours` UTC hour keys before `hour`, oldest first. */
export function previousHours(hour: string, hours = BASELINE_HOURS): string[] {
  const at = Date.parse(`${hour}:00:00.000Z`);
  return Array.from({ length: hours }, (_, i) => new Date(at - (hours - i) * 3_600_000).toISOString().slice(0, 13));
}

/** Hourly counts for the baseline window from sparse stored counters, from the hour `since` on (when the query began). */
export function baselineCounts(hour: string, stored: ReadonlyMap<string, number>, since = ''): number[] {
  return previousHours(hour).filter((h) => h >= since).map((h) => stored.get(h) ?? 0);
}
