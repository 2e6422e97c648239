import { describe, expect, it } from 'vitest';
import type { Cadence } from './cadence.js';
import { owedAt } from './due.js';

const LONG_AGO = '2026-01-01T00:00:00.000Z';
const iso = (n: number) => new Date(n).toISOString();

describe('owedAt: which digest a minute tick sends', () => {
  it.each<[string, Cadence, string, string, string, string | null, string, string | null]>([
    ['due this minute', 'daily', '08:00', 'Asia/Shanghai', LONG_AGO, '2026-03-09T00:00:00.000Z', '2026-03-10T00:00:00.000Z', '2026-03-10T00:00:00.000Z'],
    ['the minute before: already sent', 'daily', '08:00', 'Asia/Shanghai', LONG_AGO, '2026-03-09T00:00:00.000Z', '2026-03-09T23:59:00.000Z', null],
    ['the minute after: already sent', 'daily', '08:00', 'Asia/Shanghai', LONG_AGO, '2026-03-10T00:00:00.000Z', '2026-03-10T00:01:00.000Z', null],
    ['five minutes behind is on time', 'daily', '08:00', 'Asia/Shanghai', LONG_AGO, '2026-03-09T00:00:00.000Z', '2026-03-10T00:05:00.000Z', '2026-03-10T00:00:00.000Z'],
    ['six minutes behind is late', 'daily', '08:00', 'Asia/Shanghai', LONG_AGO, '2026-03-09T00:00:00.000Z', '2026-03-10T00:06:00.000Z', '2026-03-10T00:00:00.000Z late'],
    ['down through two: only the last, late', 'daily', '08:00', 'Asia/Shanghai', LONG_AGO, '2026-03-09T00:00:00.000Z', '2026-03-12T03:00:00.000Z', '2026-03-12T00:00:00.000Z late'],
    ['never sent, missed', 'daily', '08:00', 'Asia/Shanghai', '2026-03-09T20:00:00.000Z', null, '2026-03-12T03:00:00.000Z', '2026-03-12T00:00:00.000Z late'],
    ['subscribed after today\'s due time', 'daily', '08:00', 'Asia/Shanghai', '2026-03-10T00:00:30.000Z', null, '2026-03-10T00:01:00.000Z', null],
    ['subscribed yesterday after the due time', 'daily', '08:00', 'Asia/Shanghai', '2026-03-10T00:00:30.000Z', null, '2026-03-11T00:00:00.000Z', '2026-03-11T00:00:00.000Z'],
    ['weekly on Monday, Berlin winter time', 'weekly', '07:30', 'Europe/Berlin', LONG_AGO, '2026-03-09T06:30:00.000Z', '2026-03-16T06:30:00.000Z', '2026-03-16T06:30:00.000Z'],
    ['weekly: not on Sunday', 'weekly', '07:30', 'Europe/Berlin', LONG_AGO, '2026-03-09T06:30:00.000Z', '2026-03-15T06:30:00.000Z', null],
    ['weekly: Berlin summer time', 'weekly', '07:30', 'Europe/Berlin', LONG_AGO, '2026-03-23T06:30:00.000Z', '2026-03-30T05:30:00.000Z', '2026-03-30T05:30:00.000Z'],
    ['monthly on the 1st', 'monthly', '23:59', 'UTC', LONG_AGO, '2026-03-01T23:59:00.000Z', '2026-04-01T23:59:00.000Z', '2026-04-01T23:59:00.000Z'],
    ['monthly: not on the 2nd', 'monthly', '23:59', 'UTC', LONG_AGO, '2026-04-01T23:59:00.000Z', '2026-04-02T23:59:00.000Z', null],
    ['New York before DST', 'daily', '07:05', 'America/New_York', LONG_AGO, null, '2026-03-07T12:05:00.000Z', '2026-03-07T12:05:00.000Z'],
    ['New York after DST', 'daily', '07:05', 'America/New_York', LONG_AGO, '2026-03-09T11:05:00.000Z', '2026-03-10T11:05:00.000Z', '2026-03-10T11:05:00.000Z'],
    ['New York after DST, an hour early', 'daily', '07:05', 'America/New_York', LONG_AGO, '2026-03-09T11:05:00.000Z', '2026-03-10T10:05:00.000Z', null],
  ])('%s', (_, cadence, time, timezone, createdAt, lastSentFor, tick, expected) => {
    const owed = owedAt({ cadence, time, timezone, createdAt, lastSentFor }, Date.parse(tick));
    expect(owed && `${iso(owed.due)}${owed.late ? ' late' : ''}`).toBe(expected);
  });
});
