/**
 * Recency/frequency/monetary per customer and their quintile scores, computed in SQL.
 * Score = ceil(5 * k / n) where k counts customers at or below this one (ties share a score),
 * the same rule as core/kpi/rfm.ts and the MongoDB pipeline. Milliseconds are integers so day
 * boundaries do not drift with floating point.
 */
export const RFM_SQL = `
WITH p AS (
  SELECT customer_id, MAX(occurred_at) AS last_at, COUNT(*) AS frequency, SUM(COALESCE(amount_minor, 0)) AS monetary
  FROM interactions
  WHERE tenant = @tenant AND type = 'purchase' AND customer_id IS NOT NULL AND occurred_at <= @asOf
  GROUP BY customer_id
), w AS (
  SELECT customer_id, last_at, frequency, monetary,
    COUNT(*) OVER (ORDER BY last_at) AS kr,
    COUNT(*) OVER (ORDER BY frequency) AS kf,
    COUNT(*) OVER (ORDER BY monetary) AS km,
    COUNT(*) OVER () AS n
  FROM p
)
SELECT customer_id AS customerId,
  (CAST(ROUND(unixepoch(@asOf, 'subsec') * 1000) AS INTEGER) - CAST(ROUND(unixepoch(last_at, 'subsec') * 1000) AS INTEGER)) / 86400000 AS recencyDays,
  frequency, monetary AS monetaryMinor,
  (5 * kr + n - 1) / n AS r, (5 * kf + n - 1) / n AS f, (5 * km + n - 1) / n AS m
FROM w ORDER BY customer_id`;
