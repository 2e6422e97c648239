import { describe, expect, it } from 'vitest';
import type { IdentityLink } from './types.js';
import { touchChangesNothing } from './identity-touch.js';

const seen = '2026-11-27T12:00:00.000Z';
const link: IdentityLink = {
  tenant: 'default', identity: 'slack:U1', platform: 'slack', displayName: 'Ann', role: 'customer', customerId: 1, verified: true,
  locale: 'de', timezone: 'Europe/Berlin', reachable: true, lastSeenAt: seen, createdAt: seen,
};
const at = (ms: number) => Date.parse(seen) + ms;

describe('touchChangesNothing', () => {
  it.each([
    ['the same name, 30 s later', {}, { displayName: 'Ann', locale: null }, 30_000, true],
    ['the same name and locale', {}, { displayName: 'Ann', locale: 'de' }, 1_000, true],
    ['a zone sent while one is recorded (touch keeps the recorded one)', {}, { displayName: 'Ann', locale: null, timezone: 'UTC' }, 1_000, true],
    ['at the same millisecond', {}, { displayName: 'Ann', locale: null }, 0, true],
    ['a minute later: last seen is refreshed', {}, { displayName: 'Ann', locale: null }, 60_000, false],
    ['a clock behind the stored last seen', {}, { displayName: 'Ann', locale: null }, -1, false],
    ['a new display name', {}, { displayName: 'Anna', locale: null }, 1_000, false],
    ['a new locale', {}, { displayName: 'Ann', locale: 'fr' }, 1_000, false],
    ['a zone filling a gap', { timezone: null }, { displayName: 'Ann', locale: null, timezone: 'UTC' }, 1_000, false],
    ['no zone sent, none recorded', { timezone: null }, { displayName: 'Ann', locale: null, timezone: null }, 1_000, true],
    ['an unreachable identity (a message makes it reachable)', { reachable: false }, { displayName: 'Ann', locale: null }, 1_000, false],
  ] as const)('%s -> %s', (_, change, input, ms, expected) => {
    expect(touchChangesNothing({ ...link, ...change }, input, at(ms))).toBe(expected);
  });
});
