/**
 * Milliseconds of an ISO instant, as Date.parse gives them. The form every record is stored in,
 * `YYYY-MM-DDTHH:MM:SS.sssZ`, is read from its digits: Date.parse costs about half a microsecond, and a
 * digest parses a few hundred thousand dates. Anything else, or a field Date.UTC would roll over (a day past
 * the 28th, a year before 100), goes to Date.parse, so the answer is always Date.parse's.
 */
export function instantMs(iso: string): number {
  if (iso.length !== 24 || iso[4] !== '-' || iso[7] !== '-' || iso[10] !== 'T' || iso[13] !== ':' || iso[16] !== ':' || iso[19] !== '.' || iso[23] !== 'Z') {
    return Date.parse(iso);
  }
  const year = digits(iso, 0, 4);
  const month = digits(iso, 5, 2);
  const day = digits(iso, 8, 2);
  const hour = digits(iso, 11, 2);
  const minute = digits(iso, 14, 2);
  const second = digits(iso, 17, 2);
  const ms = digits(iso, 20, 3);
  // NaN (a non-digit) fails every comparison and falls back too.
  if (!(year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return Date.parse(iso);
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}
