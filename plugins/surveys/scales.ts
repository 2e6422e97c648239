import type { SurveyKind } from '../../core/plugin-api.js';

/** Answer ranges per CRM-METHOD: NPS 0-10, CSAT 1-5, CES 1-7 (1 = very easy). */
export const SCALES: Record<SurveyKind, { min: number; max: number; label: string }> = {
  nps: { min: 0, max: 10, label: 'NPS' },
  csat: { min: 1, max: 5, label: 'CSAT' },
  ces: { min: 1, max: 7, label: 'CES' },
};

export const KINDS = Object.keys(SCALES) as SurveyKind[];

export function inRange(kind: SurveyKind, score: number): boolean {
  return Number.isInteger(score) && score >= SCALES[kind].min && score <= SCALES[kind].max;
}

/** Answers that open a follow-up case: NPS detractors (0-6), CSAT 1-2, CES 5-7 (high effort). */
export function needsFollowUp(kind: SurveyKind, score: number): boolean {
  if (kind === 'nps') return score <= 6;
  if (kind === 'csat') return score <= 2;
  return score >= 5;
}

export function scoresOf(kind: SurveyKind): number[] {
  const { min, max } = SCALES[kind];
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}
