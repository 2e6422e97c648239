/** How a survey answer is kept as a survey_response interaction, so the core can read scores back. */
export type SurveyKind = 'nps' | 'csat' | 'ces';

export function surveyAnswerText(kind: SurveyKind, score: number, why?: string): string {
  return `${kind} ${score}${why ? `: ${why}` : ''}`;
}

export function parseSurveyAnswer(text: string): { kind: SurveyKind; score: number } | null {
  const m = /^(nps|csat|ces) (\d{1,2})(?::|$)/.exec(text);
  return m ? { kind: m[1] as SurveyKind, score: Number(m[2]) } : null;
}

/**
 * The sourceEventId of a survey answer: `survey:<survey>:<customer>` for the first score and `#<version>`
 * after it for each change, so every change is kept and counting takes the latest per person per survey.
 */
export function surveyAnswerSource(surveyId: string, customerId: number, version: number): string {
  return `survey:${surveyId}:${customerId}${version > 1 ? `#${version}` : ''}`;
}

/** Every answer of one survey has a sourceEventId starting with this. */
export const surveySourcePrefix = (surveyId: string) => `survey:${surveyId}:`;
