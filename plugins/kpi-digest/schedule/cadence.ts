import { localTime, zonedToUtc, type LocalTime } from './zoned.js';

/**
 * Digest cadences and the periods they report on. There is no free cron: daily is the finest grain.
 * A period is [from, to) in the subscriber's zone; stepping back keeps the local wall time.
 */
export const CADENCES = ['daily', 'weekly', 'monthly'] as const;
export type Cadence = (typeof CADENCES)[number];
export type PeriodKind = 'day' | 'week' | 'month';

export const KIND_OF: Record<Cadence, PeriodKind> = { daily: 'day', weekly: 'week', monthly: 'month' };
export const TIME_HINT = 'write HH:MM 24-hour and an IANA zone like Europe/Berlin';

export function parseTime(s: string): { hour: number; minute: number } | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

function addDays(l: LocalTime, days: number): LocalTime {
  const d = new Date(Date.UTC(l.year, l.month - 1, l.day + days));
  return { ...l, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: ((l.weekday - 1 + days) % 7 + 7) % 7 + 1 };
}

/** The same wall time `n` periods earlier; a month back clamps the day (31 March -> 28 February). */
export function stepBack(l: LocalTime, kind: PeriodKind, n: number): LocalTime {
  if (kind === 'day') return addDays(l, -n);
  if (kind === 'week') return addDays(l, -7 * n);
  const first = new Date(Date.UTC(l.year, l.month - 1 - n, 1));
  const daysIn = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  const day = Math.min(l.day, daysIn);
  return addDays({ ...l, year: first.getUTCFullYear(), month: first.getUTCMonth() + 1, day: 1, weekday: 1 }, day - 1);
}

const instant = (l: LocalTime, tz: string) => zonedToUtc(l.year, l.month, l.day, l.hour, l.minute, tz);

/** `count + 1` ascending bounds of `count` periods of one kind ending at `to` (wall time kept). */
export function periodBounds(to: number, kind: PeriodKind, count: number, tz: string): string[] {
  const end = localTime(to, tz);
  const out: string[] = [];
  for (let k = count; k >= 1; k--) out.push(new Date(instant(stepBack(end, kind, k), tz)).toISOString());
  out.push(new Date(to).toISOString());
  return out;
}

/**
 * Where a scheduled digest's period ends: local midnight of the due day (daily: yesterday), of the due
 * week's Monday (weekly: last full Monday-Sunday week), of the due month's 1st (monthly: last full month).
 */
export function scheduledPeriodEnd(due: number, cadence: Cadence, tz: string): number {
  const l = { ...localTime(due, tz), hour: 0, minute: 0 };
  const start = cadence === 'weekly' ? addDays(l, 1 - l.weekday) : cadence === 'monthly' ? addDays(l, 1 - l.day) : l;
  return instant(start, tz);
}

/** The latest due time at or before `now` for a subscription. */
export function lastDueAtOrBefore(now: number, cadence: Cadence, time: string, tz: string): number {
  const t = parseTime(time)!;
  const l = { ...localTime(now, tz), hour: t.hour, minute: t.minute };
  const kind = KIND_OF[cadence];
  const candidate = cadence === 'weekly' ? addDays(l, 1 - l.weekday) : cadence === 'monthly' ? addDays(l, 1 - l.day) : l;
  const at = instant(candidate, tz);
  return at <= now ? at : instant(stepBack(candidate, kind, 1), tz);
}
