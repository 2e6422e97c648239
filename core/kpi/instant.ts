/**
 * Milliseconds of an ISO instant, as Date.parse gives them. The form every record is stored in,
 * `YYYY-MM-DDTHH:MM:SS.sssZ`, is read from its digits: Date.parse costs about half a microsecond, and a
 * digest parses a few hundred thousand dates. Anything else, or a field out of its range (a day past the
 * 28th is checked against its month by Date.parse), goes to Date.parse, so the answer is always Date.parse's.
 */
export function instantMs(iso: string): number {
  if (iso.length !== 24 || iso.charCodeAt(4) !== DASH || iso.charCodeAt(7) !== DASH || iso.charCodeAt(10) !== T || iso.charCodeAt(13) !== COLON
    || iso.charCodeAt(16) !== COLON || iso.charCodeAt(19) !== DOT || iso.charCodeAt(23) !== Z) {
    return Date.parse(iso);
  }
  const year = digit(iso, 0) * 1000 + digit(iso, 1) * 100 + digit(iso, 2) * 10 + digit(iso, 3);
  const month = digit(iso, 5) * 10 + digit(iso, 6);
  const day = digit(iso, 8) * 10 + digit(iso, 9);
  const hour = digit(iso, 11) * 10 + digit(iso, 12);
  const minute = digit(iso, 14) * 10 + digit(iso, 15);
  const second = digit(iso, 17) * 10 + digit(iso, 18);
  const ms = digit(iso, 20) * 100 + digit(iso, 21) * 10 + digit(iso, 22);
  // A non-digit reads as -1000 and fails a range check.
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59
    && second >= 0 && second <= 59 && ms >= 0)) return Date.parse(iso);
  return daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

const [DASH, T, COLON, DOT, Z] = ['-', 'T', ':', '.', 'Z'].map((c) => c.charCodeAt(0)) as [number, number, number, number, number];
const DAY_MS = 86_400_000;

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1000;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
