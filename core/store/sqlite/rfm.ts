/**
 * Recency/frequency/monetary per customer and their quintile scores, computed in SQL by the rule of
 * core/kpi/rfm.ts (and the MongoDB pipeline): a tie group takes the quintile of its middle rank
 * k = (lo + hi + 1) / 2, lo = RANK() - 1 values below it and hi = COUNT(*) up to its peers; with fewer than
 * five distinct values the score is the DENSE_RANK. Milliseconds are integers so day boundaries do not
 * drift with floating point.
 */
export const RFM_SQL = `
WITH p AS (
  SELECT customer_id, MAX(occurred_at) AS last_at, COUNT(*) AS frequency, SUM(COALESCE(amount_minor, 0)) AS monetary
  FROM interactions
  WHERE tenant = @tenant AND type = 'purchase' AND customer_id IS NOT NULL AND occurred_at <= @asOf
  GROUP BY customer_id
), w AS (
  SELECT customer_id, last_at, frequency, monetary,
    (RANK() OVER (ORDER BY last_at) + COUNT(*) OVER (ORDER BY last_at)) / 2 AS kr,
    (RANK() OVER (ORDER BY frequency) + COUNT(*) OVER (ORDER BY frequency)) / 2 AS kf,
    (RANK() OVER (ORDER BY monetary) + COUNT(*) OVER (ORDER BY monetary)) / 2 AS km,
    DENSE_RANK() OVER (ORDER BY last_at) AS dr,
    DENSE_RANK() OVER (ORDER BY frequency) AS df,
    DENSE_RANK() OVER (ORDER BY monetary) AS dm,
    COUNT(*) OVER () AS n
  FROM p
), d AS (
  SELECT w.*, MAX(dr) OVER () AS nr, MAX(df) OVER () AS nf, MAX(dm) OVER () AS nm FROM w
)
SELECT customer_id AS customerId,
  (CAST(ROUND(unixepoch(@asOf, 'subsec') * 1000) AS INTEGER) - CAST(ROUND(unixepoch(last_at, 'subsec') * 1000) AS INTEGER)) / 86400000 AS recencyDays,
  frequency, monetary AS monetaryMinor,
  CASE WHEN nr < 5 THEN dr ELSE (5 * kr + n - 1) / n END AS r,
  CASE WHEN nf < 5 THEN df ELSE (5 * kf + n - 1) / n END AS f,
  CASE WHEN nm < 5 THEN dm ELSE (5 * km + n - 1) / n END AS m
FROM d ORDER BY customer_id`;
