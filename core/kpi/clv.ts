/** CLV per CRM-METHOD: annual revenue x gross margin x expected lifetime (years) - CAC. */

/** CAC = acquisition spend / new customers in the period; null when nobody was acquired. */
export function cac(spendMinor: number, newCustomers: number): number | null {
  return newCustomers > 0 ? Math.round(spendMinor / newCustomers) : null;
}

/** Historical CLV: the margin actually earned so far. */
export function historicalClv(revenueMinor: number, grossMargin: number): number {
  return Math.round(revenueMinor * grossMargin);
}

/**
 * Annual revenue is revenue over the customer's observed tenure scaled to a year; a tenure shorter than
 * 30 days counts as 30 so one fresh purchase is not extrapolated twelvefold.
 */
export function annualRevenue(revenueMinor: number, tenureDays: number): number {
  return Math.round((revenueMinor * 365) / Math.max(tenureDays, 30));
}

export function predictiveClv(annualRevenueMinor: number, grossMargin: number, lifetimeYears: number, cacMinor: number | null): number {
  return Math.round(annualRevenueMinor * grossMargin * lifetimeYears - (cacMinor ?? 0));
}

/** CLV/CAC ratio; null without a CAC to compare against. */
export function clvToCac(clvMinor: number, cacMinor: number | null): number | null {
  return cacMinor ? clvMinor / cacMinor : null;
}
