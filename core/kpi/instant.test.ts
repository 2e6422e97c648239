import { describe, expect, it } from 'vitest';
import { seeded } from '../demo/random.js';
import { instantMs } from './instant.js';

describe('instantMs gives what Date.parse gives', () => {
  it.each([
    '2026-06-01T06:00:00.000Z', '1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2024-02-28T12:34:56.789Z',
    // Days past the 28th and hour 24 are left to Date.parse; a year before 100 is read as itself, as Date.parse does.
    '2024-02-29T00:00:00.000Z', '2026-02-30T00:00:00.000Z', '2026-04-31T10:00:00.000Z', '2026-01-01T24:00:00.000Z', '0099-01-01T00:00:00.000Z',
    // Not the stored form: other lengths, offsets, no milliseconds, a date alone, junk.
    '2026-06-01T06:00:00Z', '2026-06-01T06:00:00.000+02:00', '2026-06-01', '2026-13-01T00:00:00.000Z', '2026-06-01T06:60:00.000Z',
    '2026-06-01T06:00:00.00xZ', '2026-06-01 06:00:00.000Z', '', 'not a date at all, 24 ch',
  ])('%s', (iso) => {
    expect(instantMs(iso)).toEqual(Date.parse(iso));
  });

  it('on thousands of instants across the years', () => {
    const r = seeded(9);
    for (let i = 0; i < 5000; i++) {
      const iso = new Date(r.int(-2_000_000_000, 4_000_000_000) * 1000 + r.int(0, 999)).toISOString();
      expect(instantMs(iso), iso).toBe(Date.parse(iso));
    }
  });
});
