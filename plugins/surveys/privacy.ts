import type { Field } from '../../core/plugin-api.js';
import type { Env } from './fanout.js';
import { SCALES } from './scales.js';
import { lastSurveyedId } from './store.js';

/** The surveys line of the customer 360 card. */
export async function cardFields(e: Env, customerId: number): Promise<Field[]> {
  const [last] = await e.r.answers.find({ customerId }, { orderBy: 'answeredAt', desc: true, limit: 1 });
  const customer = await e.ts.customers.get(customerId);
  const answered = last ? `last answer ${SCALES[last.kind].label} ${last.score} on ${last.campaignId} (${last.answeredAt.slice(0, 10)})${last.why ? `: "${last.why.slice(0, 80)}"` : ''}` : 'no answers yet';
  const consent = customer && !customer.consent.surveys ? '; opted out of surveys' : '';
  return [{ label: 'Surveys', value: `${answered}${consent}` }];
}

/** Everything this plugin keeps about one person (GDPR/PIPL export). */
export async function exportPerson(e: Env, customerId: number): Promise<unknown> {
  const all = { limit: 100_000 };
  return {
    answers: await e.r.answers.find({ customerId }, all),
    surveysReceived: await e.r.recipients.find({ customerId }, all),
    surveyDecisions: await e.r.decisions.find({ customerId }, all),
    followUps: await e.r.followups.find({ customerId }, all),
    lastSurveyed: await e.r.lastSurveyed.get(lastSurveyedId(customerId)),
  };
}

/** Erasure removes the person's answers (with their free text) and delivery records; campaign counts stay anonymous. */
export async function erasePerson(e: Env, customerId: number): Promise<void> {
  await e.r.answers.deleteWhere({ customerId });
  await e.r.recipients.deleteWhere({ customerId });
  await e.r.decisions.deleteWhere({ customerId });
  await e.r.followups.deleteWhere({ customerId });
  await e.r.lastSurveyed.delete(lastSurveyedId(customerId));
}
