import { describe, expect, it } from 'vitest';
import { formatLocal, localMinutes, quietUntil, zonedToUtc } from './clock.js';

describe('zonedToUtc', () => {
  it.each([
    ['2026-05-04', '09:30', 'UTC', '2026-05-04T09:30:00.000Z'],
    ['2026-05-04', '09:30', 'Asia/Shanghai', '2026-05-04T01:30:00.000Z'],
    ['2026-01-15', '09:30', 'Europe/Berlin', '2026-01-15T08:30:00.000Z'],
    ['2026-07-15', '09:30', 'Europe/Berlin', '2026-07-15T07:30:00.000Z'],
    ['2026-03-29', '03:30', 'Europe/Berlin', '2026-03-29T01:30:00.000Z'],
    ['2026-07-15', '20:00', 'America/New_York', '2026-07-16T00:00:00.000Z'],
    ['2026-02-30', '09:00', 'UTC', null],
    ['2026-05-04', '24:00', 'UTC', null],
    ['04/05/2026', '09:00', 'UTC', null],
  ])('%s %s in %s -> %s', (date, time, tz, expected) => {
    expect(zonedToUtc(date, time, tz)).toBe(expected);
  });

  it('round-trips through formatLocal', () => {
    expect(formatLocal(zonedToUtc('2026-11-02', '18:05', 'Asia/Tokyo')!, 'Asia/Tokyo')).toBe('2026-11-02 18:05');
  });
});

describe('quietUntil', () => {
  const night = { start: '21:00', end: '08:00' };
  it.each([
    ['2026-05-04T22:15:00.000Z', 'UTC', night, '2026-05-05T08:00:00.000Z'],
    ['2026-05-04T03:00:00.000Z', 'UTC', night, '2026-05-04T08:00:00.000Z'],
    ['2026-05-04T08:00:00.000Z', 'UTC', night, null],
    ['2026-05-04T20:59:00.000Z', 'UTC', night, null],
    ['2026-05-04T21:00:00.000Z', 'UTC', night, '2026-05-05T08:00:00.000Z'],
    // 14:00 UTC is 22:00 in Shanghai: quiet until 08:00 there, which is 00:00 UTC.
    ['2026-05-04T14:00:00.000Z', 'Asia/Shanghai', night, '2026-05-05T00:00:00.000Z'],
    ['2026-05-04T14:00:00.000Z', 'UTC', night, null],
    ['2026-05-04T13:30:00.000Z', 'UTC', { start: '12:00', end: '14:00' }, '2026-05-04T14:00:00.000Z'],
    ['2026-05-04T13:30:00.000Z', 'UTC', { start: '00:00', end: '00:00' }, null],
  ])('%s in %s', (iso, tz, quiet, expected) => {
    expect(quietUntil(iso, tz, quiet)).toBe(expected);
  });

  it('reads local minutes in the zone', () => {
    expect(localMinutes('2026-05-04T14:05:00.000Z', 'Asia/Shanghai')).toBe(22 * 60 + 5);
  });
});
