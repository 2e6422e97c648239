/** NPS, CSAT and CES exactly as CRM-METHOD defines them. */
export interface NpsResult {
  nps: number | null;
  promoters: number;
  passives: number;
  detractors: number;
  responses: number;
  /** 95% margin of error in NPS points (normal approximation of the promoter-detractor difference). */
  marginOfError: number | null;
}

export function nps(scores: number[]): NpsResult {
  const n = scores.length;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const passives = n - promoters - detractors;
  if (!n) return { nps: null, promoters, passives, detractors, responses: 0, marginOfError: null };
  const p = promoters / n;
  const d = detractors / n;
  const variance = p + d - (p - d) ** 2;
  return {
    nps: Math.round((p - d) * 1000) / 10,
    promoters, passives, detractors, responses: n,
    marginOfError: Math.round(1.96 * Math.sqrt(variance / n) * 1000) / 10,
  };
}

/** CSAT % = share of 4s and 5s on a 1-5 scale. */
export function csat(scores: number[]): number | null {
  return scores.length ? Math.round((scores.filter((s) => s >= 4).length / scores.length) * 1000) / 10 : null;
}

/** CES = average effort on a 1-7 scale. */
export function ces(scores: number[]): number | null {
  return scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null;
}
