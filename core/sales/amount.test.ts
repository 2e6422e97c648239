import { describe, expect, it } from 'vitest';
import { formatMoney, isCurrency, parseAmount } from './amount.js';

describe('parseAmount', () => {
  it.each([
    ['12000', 1_200_000], ['12,000', 1_200_000], ['12 000', 1_200_000], ['12k', 1_200_000], ['1.2m', 120_000_000],
    ['99.95', 9_995], ['0.5k', 50_000], ['1,234,567.89', 123_456_789], ['7', 700], ['1.25K', 125_000], ['0', 0],
  ])('%s -> %i minor units', (input, minor) => {
    expect(parseAmount(input)).toEqual({ ok: true, minor });
  });

  it.each([
    ['-5', /negative/], ['abc', /not an amount.*12k/], ['12,00', /not an amount/], ['1.234', /more than two decimals/],
    ['1e5', /not an amount/], ['', /not an amount/], ['99999999999999999', /too large/],
  ])('%s is refused', (input, why) => {
    const r = parseAmount(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(why);
  });
});

describe('currencies', () => {
  it('knows ISO 4217 codes and formats minor units', () => {
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('EURO')).toBe(false);
    expect(isCurrency('XYZ')).toBe(false);
    expect(formatMoney(1_200_050, 'USD')).toBe('$12,000.50');
  });
});
