/** Retention (CRR) = (customers at end - new customers in the period) / customers at start; churn = 1 - retention. */
export function retentionRate(atStart: number, atEnd: number, newInPeriod: number): number | null {
  if (atStart <= 0) return null;
  return Math.max(0, Math.min(1, (atEnd - newInPeriod) / atStart));
}

export function churnRate(atStart: number, atEnd: number, newInPeriod: number): number | null {
  const r = retentionRate(atStart, atEnd, newInPeriod);
  return r === null ? null : 1 - r;
}
