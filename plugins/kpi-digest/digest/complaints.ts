import type { Case, CoreReads, Field } from '../../../core/plugin-api.js';

/** Complaint KPIs of CRM-METHOD "Complaints": count, time to first response, time to resolution, share resolved. */
export interface ComplaintFigures {
  count: number;
  /** Mean hours from opening to the first staff response, over complaints answered by `asOf`; null when none were. */
  firstResponseHours: number | null;
  /** Mean hours from opening to closing, over complaints resolved by `asOf`; null when none were. */
  resolutionHours: number | null;
  /** Resolved / opened, 0-1; null without complaints. */
  shareResolved: number | null;
}

export const COMPLAINTS_EXPLAINED: Field = {
  label: 'Complaints',
  value: 'Complaint cases opened in the period (a rep: those they own): how many; time to first response = average hours from opening to the first staff activity logged for the customer (call, e-mail, meeting, note) or the resolution, over those answered; time to resolution = average hours from opening to /customer resolve, over those resolved; share resolved = resolved / opened, as of now.',
};

const HOUR = 3_600_000;
const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null);

/** Over the complaints opened in the period (one owner's, for a rep's book), as they stood at `asOf`. */
export function complaintFigures(cases: Case[], asOf: string, owner: string | null): ComplaintFigures {
  const mine = cases.filter((k) => k.kind === 'complaint' && (owner === null || k.owner === owner));
  const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / HOUR;
  const responded = mine.filter((k) => k.firstResponseAt && k.firstResponseAt <= asOf);
  const resolved = mine.filter((k) => k.closedAt && k.closedAt <= asOf);
  return {
    count: mine.length,
    firstResponseHours: mean(responded.map((k) => hours(k.openedAt, k.firstResponseAt!))),
    resolutionHours: mean(resolved.map((k) => hours(k.openedAt, k.closedAt!))),
    shareResolved: mine.length ? resolved.length / mine.length : null,
  };
}

/** The digest's complaints line, read from the store for the period [from, to). */
export async function complaintsField(store: CoreReads, from: string, to: string, owner: string | null, asOf: string): Promise<Field> {
  const f = complaintFigures(await store.cases.list({ kind: 'complaint', openedFrom: from, openedTo: to }, 100_000), asOf, owner);
  const h = (x: number | null) => (x === null ? 'n/a' : `${x} h`);
  const share = f.shareResolved === null ? 'n/a' : `${Math.round(f.shareResolved * 1000) / 10}%`;
  return { label: 'Complaints', value: `${f.count} opened; first response ${h(f.firstResponseHours)} on average; resolution ${h(f.resolutionHours)} on average; ${share} resolved` };
}
