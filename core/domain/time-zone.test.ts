import { describe, expect, it } from 'vitest';
import { canonicalZone, formatInZone, zoneFor } from './time-zone.js';

describe('time zones', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    ['AMERICA/NEW_YORK', 'America/New_York'],
    ['utc', 'UTC'],
    ['US/Pacific', 'America/Los_Angeles'],
    ['Mars/Olympus', null],
    ['+02:00', null],
    ['', null],
    ['Europe/Berlin; drop', null],
  ])('%s -> %s', (text, zone) => expect(canonicalZone(text)).toBe(zone));

  it.each([
    // Berlin leaves CET for CEST at 01:00 UTC on 29 March 2026, New York EST for EDT on 8 March.
    ['2026-03-29T00:30:00Z', 'Europe/Berlin', '2026-03-29 01:30 GMT+1'],
    ['2026-03-29T01:30:00Z', 'Europe/Berlin', '2026-03-29 03:30 GMT+2'],
    ['2026-03-08T06:59:00Z', 'America/New_York', '2026-03-08 01:59 EST'],
    ['2026-03-08T07:00:00Z', 'America/New_York', '2026-03-08 03:00 EDT'],
    ['2026-11-01T05:30:00Z', 'America/New_York', '2026-11-01 01:30 EDT'],
    ['2026-11-01T06:30:00Z', 'America/New_York', '2026-11-01 01:30 EST'],
  ])('%s in %s is %s', (iso, zone, shown) => expect(formatInZone(iso, zone)).toBe(shown));

  it('prefers the person\'s zone over the tenant\'s', () => {
    expect(zoneFor({ timezone: 'Asia/Tokyo' }, 'UTC')).toBe('Asia/Tokyo');
    expect(zoneFor({ timezone: null }, 'Europe/Paris')).toBe('Europe/Paris');
    expect(zoneFor(null, 'Europe/Paris')).toBe('Europe/Paris');
  });
});
