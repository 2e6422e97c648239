import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../core/plugin-api.js';
import { loyaltyKpis } from './kpis.js';

const FROM = '2026-03-01T00:00:00.000Z';
const TO = '2026-04-01T00:00:00.000Z';
const IN = '2026-03-10T00:00:00.000Z';
let n = 0;
const e = (account: string, kind: string, delta: number, at = IN, data: Record<string, unknown> = {}): LedgerEntry => ({ key: `k${n++}`, account, delta, kind, at, data });

describe('loyaltyKpis', () => {
  it.each<[string, LedgerEntry[], { issued: number; redeemed: number; expired: number; activeMembers: number }]>([
    ['nothing', [], { issued: 0, redeemed: 0, expired: 0, activeMembers: 0 }],
    ['earnings into avail and pending', [e('avail:1', 'earn', 50), e('pending:2', 'earn', 120)], { issued: 170, redeemed: 0, expired: 0, activeMembers: 2 }],
    ['a release is a move, not a second earning', [
      e('pending:1', 'earn', 120), e('pending:1', 'release', -120), e('avail:1', 'release', 120),
    ], { issued: 120, redeemed: 0, expired: 0, activeMembers: 1 }],
    ['a release alone makes no one active', [e('pending:3', 'release', -80), e('avail:3', 'release', 80)], { issued: 0, redeemed: 0, expired: 0, activeMembers: 0 }],
    ['redemptions count the points, not the stock', [
      e('avail:1', 'redeem', -150), e('stock:mug', 'redeem', -1), e('avail:2', 'redeem', -40),
    ], { issued: 0, redeemed: 190, expired: 0, activeMembers: 2 }],
    ['a reversed redemption is taken off, its stock return ignored', [
      e('avail:1', 'redeem', -150), e('avail:1', 'reversal', 150, IN, { reversed: 'redeem' }), e('stock:mug', 'reversal', 1, IN, { reversed: 'redeem' }),
      e('avail:1', 'redeem', -70),
    ], { issued: 0, redeemed: 70, expired: 0, activeMembers: 1 }],
    ['a reversed earning is taken off issued, from pending or avail', [
      e('pending:1', 'earn', 100), e('pending:1', 'reversal', -100, IN, { reversed: 'earn' }), e('avail:2', 'earn', 30), e('avail:2', 'reversal', -30, IN, { reversed: 'earn' }),
    ], { issued: 0, redeemed: 0, expired: 0, activeMembers: 2 }],
    ['a reversal of an earlier period\'s redemption makes redeemed negative', [e('avail:1', 'reversal', 150, IN, { reversed: 'redeem' })], { issued: 0, redeemed: -150, expired: 0, activeMembers: 0 }],
    ['expiries', [e('avail:1', 'expire', -20), e('avail:2', 'expire', -5)], { issued: 0, redeemed: 0, expired: 25, activeMembers: 0 }],
    ['manual adjustments and their reversals are neither issued nor redeemed', [
      e('avail:1', 'adjust', 500), e('avail:1', 'adjust', -100), e('avail:1', 'reversal', -500, IN, { reversed: 'adjust' }),
    ], { issued: 0, redeemed: 0, expired: 0, activeMembers: 0 }],
    ['cap and stock bookkeeping is ignored', [e('cap:1:survey:day:2026-03-10', 'cap', -10), e('stock:mug', 'stock', 5)], { issued: 0, redeemed: 0, expired: 0, activeMembers: 0 }],
    ['the window is [from, to)', [
      e('avail:1', 'earn', 1, FROM), e('avail:2', 'earn', 10, TO), e('avail:3', 'earn', 100, '2026-02-28T23:59:59.999Z'), e('avail:4', 'redeem', -7, '2026-03-31T23:59:59.999Z'),
    ], { issued: 1, redeemed: 7, expired: 0, activeMembers: 2 }],
    ['one member however many entries', [e('avail:1', 'earn', 5), e('pending:1', 'earn', 6), e('avail:1', 'redeem', -4)], { issued: 11, redeemed: 4, expired: 0, activeMembers: 1 }],
  ])('%s', (_, entries, expected) => {
    expect(loyaltyKpis(entries, FROM, TO)).toEqual(expected);
  });
});
