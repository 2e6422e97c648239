/** NPS, CSAT and CES exactly as CRM-METHOD defines them, each with its number of answers and 95% interval. */
export interface NpsResult {
  nps: number | null;
  promoters: number;
  passives: number;
  detractors: number;
  responses: number;
  /** 95% margin of error in NPS points, from the adjusted-Wald interval below. */
  marginOfError: number | null;
  /** The 95% interval, clipped to -100..+100. */
  low: number | null;
  high: number | null;
}

const Z = 1.96;
const round1 = (x: number) => Math.round(x * 10) / 10;
const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Adjusted-Wald NPS interval (Rocks 2016; Sauro & Lewis): three pseudo-answers are added before computing,
 * 0.75 promoter, 1.5 passive and 0.75 detractor, so the interval keeps a sensible width at n = 1 or when
 * every answer is alike; var = (P + D - (P - D)^2) / n on the adjusted shares, as CRM-METHOD writes it.
 */
export function nps(scores: number[]): NpsResult {
  const n = scores.length;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const passives = n - promoters - detractors;
  if (!n) return { nps: null, promoters, passives, detractors, responses: 0, marginOfError: null, low: null, high: null };
  const na = n + 3;
  const p = (promoters + 0.75) / na;
  const d = (detractors + 0.75) / na;
  const margin = Z * Math.sqrt((p + d - (p - d) ** 2) / na) * 100;
  const centre = (p - d) * 100;
  return {
    nps: round1(((promoters - detractors) / n) * 100),
    promoters, passives, detractors, responses: n,
    marginOfError: round1(margin),
    low: round1(clip(centre - margin, -100, 100)),
    high: round1(clip(centre + margin, -100, 100)),
  };
}

/** CSAT % = share of 4s and 5s on a 1-5 scale. */
export function csat(scores: number[]): number | null {
  return scores.length ? round1((scores.filter((s) => s >= 4).length / scores.length) * 100) : null;
}

/** CES = average effort on a 1-7 scale. */
export function ces(scores: number[]): number | null {
  return scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null;
}

/** A survey figure with what it rests on: n answers, a 95% interval, and whether n is under the minimum. */
export interface Estimate {
  value: number | null;
  n: number;
  margin: number | null;
  low: number | null;
  high: number | null;
  tooFew: boolean;
}

export const DEFAULT_MIN_ANSWERS = 30;

export function npsEstimate(scores: number[], minAnswers = DEFAULT_MIN_ANSWERS): Estimate {
  const r = nps(scores);
  return { value: r.nps, n: r.responses, margin: r.marginOfError, low: r.low, high: r.high, tooFew: r.responses < minAnswers };
}

/** Agresti-Coull (adjusted Wald) interval for the share of 4s and 5s: z^2/2 successes and z^2 trials added. */
export function csatEstimate(scores: number[], minAnswers = DEFAULT_MIN_ANSWERS): Estimate {
  const n = scores.length;
  if (!n) return { value: null, n, margin: null, low: null, high: null, tooFew: true };
  const x = scores.filter((s) => s >= 4).length;
  const nt = n + Z * Z;
  const pt = (x + (Z * Z) / 2) / nt;
  const margin = Z * Math.sqrt((pt * (1 - pt)) / nt) * 100;
  return {
    value: csat(scores), n, margin: round1(margin),
    low: round1(clip(pt * 100 - margin, 0, 100)), high: round1(clip(pt * 100 + margin, 0, 100)), tooFew: n < minAnswers,
  };
}

/**
 * Mean effort with a 95% interval from the sample spread; at small n the spread is taken at least as wide
 * as one step of the scale with a pseudo-answer at each end (1 and 7), so one answer or identical answers
 * do not claim certainty. Clipped to the scale 1..7.
 */
export function cesEstimate(scores: number[], minAnswers = DEFAULT_MIN_ANSWERS): Estimate {
  const n = scores.length;
  if (!n) return { value: null, n, margin: null, low: null, high: null, tooFew: true };
  const padded = [...scores, 1, 7];
  const mean = padded.reduce((a, b) => a + b, 0) / padded.length;
  const variance = padded.reduce((a, b) => a + (b - mean) ** 2, 0) / (padded.length - 1);
  const margin = Z * Math.sqrt(variance / padded.length);
  const value = ces(scores)!;
  return {
    value, n, margin: Math.round(margin * 100) / 100,
    low: Math.round(clip(value - margin, 1, 7) * 100) / 100, high: Math.round(clip(value + margin, 1, 7) * 100) / 100, tooFew: n < minAnswers,
  };
}

/** "42 ±9.1 (n = 120)", "42 ±30.2 (n = 12; too few answers, under 30)", "no answers (n = 0)". */
export function describeEstimate(e: Estimate, minAnswers: number, unit = ''): string {
  if (e.value === null) return 'no answers (n = 0)';
  const margin = e.margin === null ? '' : ` ±${e.margin}${unit}`;
  return `${e.value}${unit}${margin} (n = ${e.n.toLocaleString('en-US')}${e.tooFew ? `; too few answers, under ${minAnswers}` : ''})`;
}
