/**
 * Every currency counted (CRM-METHOD, Value): totals are in the tenant's reporting currency; `rates` gives
 * the value of one unit of each currency in a common unit (config `fx`), so X -> Y multiplies by
 * rates[X] / rates[Y]. An amount with no rate is kept apart per currency, never dropped.
 */
export type Rates = Record<string, number>;

export interface Money {
  currency: string;
  minor: number;
}

export interface Converted {
  /** In the reporting currency. */
  minor: number;
  /** Amounts that could not be converted, summed per currency (sorted by code). */
  unconverted: Money[];
}

/** Minor units of `from` in `to`, rounded to a whole minor unit; null when a rate is missing. */
export function convertMinor(minor: number, from: string, to: string, rates: Rates): number | null {
  if (from === to) return minor;
  const a = rates[from];
  const b = rates[to];
  if (a === undefined || b === undefined) return null;
  return Math.round((minor * a) / b);
}

/** Sums amounts of any currencies into `to`; each part is converted then rounded, so sums are exact in minor units. */
export function totalIn(parts: Money[], to: string, rates: Rates): Converted {
  let minor = 0;
  // Made only when something is left unconverted: RFM totals every customer, nearly all in one currency.
  let apart: Map<string, number> | null = null;
  for (const p of parts) {
    const c = convertMinor(p.minor, p.currency, to, rates);
    if (c === null) (apart ??= new Map<string, number>()).set(p.currency, (apart.get(p.currency) ?? 0) + p.minor);
    else minor += c;
  }
  const unconverted = apart ? [...apart].filter(([, m]) => m !== 0).sort(([x], [y]) => x.localeCompare(y)).map(([currency, m]) => ({ currency, minor: m })) : [];
  return { minor, unconverted };
}

/** The reporting currency cannot be converted without its own rate, so other currencies need both. */
function missingRate(currency: string, to: string, rates: Rates): string {
  return rates[currency] === undefined ? currency : to;
}

/** "also €12,000.00 not converted: no EUR rate" (empty when everything converted). */
export function unconvertedNote(unconverted: Money[], to: string, rates: Rates, format: (minor: number, currency: string) => string): string {
  if (!unconverted.length) return '';
  return `also ${unconverted.map((u) => `${format(u.minor, u.currency)} not converted: no ${missingRate(u.currency, to, rates)} rate`).join('; ')}`;
}
