import { describe, expect, it } from 'vitest';
import { lastDueAtOrBefore, parseTime, periodBounds, scheduledPeriodEnd } from './cadence.js';
import { isTimeZone, zonedToUtc } from './zoned.js';

const ms = (iso: string) => Date.parse(iso);
const iso = (n: number) => new Date(n).toISOString();

describe('times and zones', () => {
  // The refusal messages are checked through /digest subscribe in test/kpi-digest.test.ts.
  it.each([['24:00', 'UTC'], ['8am', 'UTC'], ['08:60', 'UTC'], ['08:00', 'Mars/Olympus'], ['08:00', '*']])('refuses %s %s', (time, tz) => {
    expect(parseTime(time) !== null && isTimeZone(tz)).toBe(false);
  });

  it('parses only 24-hour times', () => {
    expect([parseTime('00:00'), parseTime('23:59'), parseTime('12:5'), parseTime('* *')]).toEqual([{ hour: 0, minute: 0 }, { hour: 23, minute: 59 }, null, null]);
  });
});

describe('zoned time', () => {
  it.each([
    [2026, 3, 10, 8, 0, 'Asia/Shanghai', '2026-03-10T00:00:00.000Z'],
    [2026, 7, 1, 0, 0, 'Europe/Berlin', '2026-06-30T22:00:00.000Z'],
    [2026, 1, 1, 0, 0, 'America/New_York', '2026-01-01T05:00:00.000Z'],
    // 02:30 does not exist on 29 March 2026 in Berlin: it lands after the gap.
    [2026, 3, 29, 2, 30, 'Europe/Berlin', '2026-03-29T01:30:00.000Z'],
  ])('%i-%i-%i %i:%i in %s = %s', (y, mo, d, h, mi, tz, expected) => {
    expect(iso(zonedToUtc(y, mo, d, h, mi, tz))).toBe(expected);
  });
});

describe('periods', () => {
  it.each([
    // A daily digest due 08:00 Shanghai on 10 March reports on 9 March, Shanghai time.
    ['daily', '2026-03-10T00:00:00.000Z', 'Asia/Shanghai', '2026-03-09T16:00:00.000Z'],
    // Weekly, due Monday 16 March: the week of Monday 9 March to Sunday 15 March.
    ['weekly', '2026-03-16T07:00:00.000Z', 'Europe/Berlin', '2026-03-15T23:00:00.000Z'],
    ['monthly', '2026-04-01T06:00:00.000Z', 'UTC', '2026-04-01T00:00:00.000Z'],
  ] as const)('%s due %s in %s ends at %s', (cadence, due, tz, end) => {
    expect(iso(scheduledPeriodEnd(ms(due), cadence, tz))).toBe(end);
  });

  it('steps back whole local periods, across DST and short months', () => {
    expect(periodBounds(ms('2026-03-30T22:00:00.000Z'), 'day', 2, 'Europe/Berlin')).toEqual([
      '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z',
    ]);
    expect(periodBounds(ms('2026-03-31T12:00:00.000Z'), 'month', 2, 'UTC')).toEqual([
      '2026-01-31T12:00:00.000Z', '2026-02-28T12:00:00.000Z', '2026-03-31T12:00:00.000Z',
    ]);
    expect(periodBounds(ms('2026-03-16T00:00:00.000Z'), 'week', 1, 'UTC')).toEqual(['2026-03-09T00:00:00.000Z', '2026-03-16T00:00:00.000Z']);
  });

  it.each([
    ['daily', '2026-03-10T00:30:00.000Z', '08:00', 'Asia/Shanghai', '2026-03-10T00:00:00.000Z'],
    ['daily', '2026-03-09T23:59:00.000Z', '08:00', 'Asia/Shanghai', '2026-03-09T00:00:00.000Z'],
    ['weekly', '2026-03-15T12:00:00.000Z', '09:00', 'UTC', '2026-03-09T09:00:00.000Z'],
    ['monthly', '2026-03-01T08:59:00.000Z', '09:00', 'UTC', '2026-02-01T09:00:00.000Z'],
  ] as const)('last %s due before %s at %s %s is %s', (cadence, now, time, tz, due) => {
    expect(iso(lastDueAtOrBefore(ms(now), cadence, time, tz))).toBe(due);
  });
});
