/** Wall-clock arithmetic in IANA time zones, without a date library. */

const MINUTE = 60_000;

function parts(ms: number, tz: string): Record<string, number> {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  return Object.fromEntries(fmt.formatToParts(new Date(ms)).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetMs(ms: number, tz: string): number {
  const p = parts(ms, tz);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(ms / 1000) * 1000;
}

/** `2026-05-01`, `09:30` in a zone -> ISO instant; null when the date or time does not exist. */
export function zonedToUtc(date: string, time: string, tz: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!d || !t) return null;
  const [y, mo, da] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const wall = Date.UTC(y, mo - 1, da, Number(t[1]), Number(t[2]));
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== da) return null;
  // Two passes settle the offset on the right side of a DST change.
  let ms = wall - offsetMs(wall, tz);
  ms = wall - offsetMs(ms, tz);
  return new Date(ms).toISOString();
}

/** Minutes since local midnight. */
export function localMinutes(iso: string, tz: string): number {
  const p = parts(Date.parse(iso), tz);
  return p.hour! * 60 + p.minute!;
}

export function hhmm(text: string): number {
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/**
 * When `iso` falls inside the quiet window [start, end) of local time, the instant the window ends;
 * otherwise null. The window may cross midnight (21:00-08:00); start == end means no quiet hours.
 */
export function quietUntil(iso: string, tz: string, quiet: { start: string; end: string }): string | null {
  const start = hhmm(quiet.start);
  const end = hhmm(quiet.end);
  if (start === end) return null;
  const now = localMinutes(iso, tz);
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return null;
  const wait = (end - now + 1440) % 1440;
  const ms = Date.parse(iso);
  return new Date(Math.floor(ms / MINUTE) * MINUTE + wait * MINUTE).toISOString();
}

/** `2026-05-01 09:30` in a zone, for replies. */
export function formatLocal(iso: string, tz: string): string {
  const p = parts(Date.parse(iso), tz);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month!)}-${two(p.day!)} ${two(p.hour!)}:${two(p.minute!)}`;
}
