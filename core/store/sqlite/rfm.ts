/**
 * Recency/frequency/monetary per customer and their quintile scores, computed in SQL by the rule of
 * core/kpi/rfm.ts (and the MongoDB pipeline): a tie group takes the quintile of its middle rank
 * k = (lo + hi + 1) / 2, lo = RANK() - 1 values below it and hi = COUNT(*) up to its peers; with fewer than
 * five distinct values the score is the DENSE_RANK. Milliseconds are integers so day boundaries do not
 * drift with floating point. Monetary is in the reporting currency @reporting: per customer each currency's
 * total is converted with the rates of @fx (a JSON object of the config `fx`, a parameter) as
 * floor(total x rate / reporting rate + 0.5), JavaScript's Math.round; totals without a rate are listed in
 * `apart` (JSON) and count as nothing.
 */
export const RFM_SQL = `
WITH fx AS (SELECT key AS currency, value AS rate FROM json_each(@fx)
), pc AS (
  SELECT customer_id, COALESCE(currency, @reporting) AS currency, MAX(occurred_at) AS last_at, COUNT(*) AS n, SUM(COALESCE(amount_minor, 0)) AS amount
  FROM interactions
  WHERE tenant = @tenant AND type = 'purchase' AND customer_id IS NOT NULL AND occurred_at <= @asOf
  GROUP BY customer_id, COALESCE(currency, @reporting)
), cv AS (
  SELECT pc.*, CASE WHEN pc.currency = @reporting THEN amount
    WHEN f.rate IS NOT NULL AND r.rate IS NOT NULL THEN CAST(floor(amount * f.rate / r.rate + 0.5) AS INTEGER) END AS converted
  FROM pc LEFT JOIN fx f ON f.currency = pc.currency LEFT JOIN fx r ON r.currency = @reporting
), p AS (
  SELECT customer_id, MAX(last_at) AS last_at, SUM(n) AS frequency, SUM(COALESCE(converted, 0)) AS monetary,
    json_group_array(json_object('currency', currency, 'minor', amount) ORDER BY currency) FILTER (WHERE converted IS NULL AND amount <> 0) AS apart
  FROM cv GROUP BY customer_id
), w AS (
  SELECT customer_id, last_at, frequency, monetary, apart,
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
  frequency, monetary AS monetaryMinor, apart,
  CASE WHEN nr < 5 THEN dr ELSE (5 * kr + n - 1) / n END AS r,
  CASE WHEN nf < 5 THEN df ELSE (5 * kf + n - 1) / n END AS f,
  CASE WHEN nm < 5 THEN dm ELSE (5 * km + n - 1) / n END AS m
FROM d ORDER BY customer_id`;
